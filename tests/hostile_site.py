"""A made-up PACER on loopback that repeats the password it is sent (issue 19 §3), for the leak tests.

- `POST /services/cso-auth` answers with an `errorDescription` that quotes the password (or whatever
  the test's `echo` makes of what it was sent);
- the sign-on form's answer is an alert quoting the password, in a wording pacer-verify does not know
  (so the result is `unrecognized_page` and a screenshot is kept), with the password field drawn
  again as `type=text` under another name, holding the password;
- Manage My Account sends the browser to sign-on (there is never a session).
The field and the alert sit at fixed places, so a test can look at those pixels of the screenshot.
"""

from __future__ import annotations

import html
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from helpers import free_port
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

LOGIN_PATH = "/csologin/login.jsf"
#: Where the re-drawn password field and the echoing alert are, in CSS pixels of the page.
FIELD_BOX = (40, 300, 440, 340)
ALERT_BOX = (40, 400, 840, 440)


@dataclass
class Counts:
    login_posts: Counter[str] = field(default_factory=Counter)
    api_login_posts: Counter[str] = field(default_factory=Counter)


def _page(alert: str = "", password: str = "") -> str:
    left, top, right, bottom = FIELD_BOX
    a_left, a_top, a_right, a_bottom = ALERT_BOX
    where = f"position:absolute;left:{left}px;top:{top}px;width:{right - left}px;height:{bottom - top}px"
    alert_at = f"position:absolute;left:{a_left}px;top:{a_top}px;width:{a_right - a_left}px;height:{a_bottom - a_top}px"
    # After an answer the password comes back in a text field whose name and id say nothing of a secret.
    kind, name = ("text", "answer") if password else ("password", "password")
    shown_alert = (
        f'<div role="alert" style="{alert_at};font-size:20px;color:#000">{html.escape(alert)}</div>' if alert else ""
    )
    return f"""<!doctype html><html><head><title>PACER: Sign In</title></head>
<body style="margin:0;background:#fff;font-family:sans-serif">
<h1>Sign In</h1>
<form method="post" action="{LOGIN_PATH}">
  <label for="user">Username</label>
  <input id="user" name="user" type="text" style="position:absolute;left:40px;top:200px">
  <label for="reply">Password</label>
  <input id="reply" name="{name}" type="{kind}" value="{html.escape(password)}"
         style="{where};font-size:28px;color:#000;background:#ff0">
  <button type="submit" style="position:absolute;left:40px;top:360px">Login</button>
</form>
{shown_alert}
</body></html>"""


#: What the Authentication API says back, from what it was sent (loginId, password, otpCode, …).
Echo = Callable[[dict[str, Any]], str]


def _quotes_the_password(sent: dict[str, Any]) -> str:
    return f"Invalid password: {sent.get('password', '')} is not right"


def create_app(counts: Counts, echo: Echo = _quotes_the_password) -> Starlette:
    async def account(_: Request) -> Response:
        return RedirectResponse(LOGIN_PATH, status_code=303)

    async def sign_on(request: Request) -> Response:
        if request.method == "GET":
            return HTMLResponse(_page())
        form = await request.form()
        username, password = str(form.get("user", "")), str(form.get("password", ""))
        counts.login_posts[username] += 1
        return HTMLResponse(_page(f"We could not process {password} for {username} today", password))

    async def api(request: Request) -> Response:
        body = await request.json()
        counts.api_login_posts[str(body.get("loginId", ""))] += 1
        return JSONResponse({"loginResult": "13", "errorDescription": echo(body)})

    return Starlette(
        routes=[
            Route("/pscof/manage/maint.jsf", account),
            Route(LOGIN_PATH, sign_on, methods=["GET", "POST"]),
            Route("/services/cso-auth", api, methods=["POST"]),
            Route("/", lambda _: HTMLResponse("<h1>PACER</h1>")),
        ]
    )


@contextmanager
def hostile_site(echo: Echo = _quotes_the_password) -> Iterator[tuple[str, Counts]]:
    """Serve the site on a loopback port; yields its base URL and its sign-in counters. `echo` makes the
    Authentication API's errorDescription from what it was sent (by default it quotes the password)."""
    counts = Counts()
    port = free_port()
    config = uvicorn.Config(create_app(counts, echo), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="hostile-pacer", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the hostile site did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", counts
    finally:
        server.should_exit = True
        thread.join(10)
