"""The floor: what the browser costs per account for the least a check can do, in CPU-seconds of the whole
process tree (Python, Playwright's driver, every Chromium process), against the mock on loopback.

    .venv/bin/python bench/floor.py --iterations 100

Each probe runs in its own process, twice (with 0 and with N iterations), so start-up cancels out:
CPU per iteration = (CPU(N) - CPU(0)) / N, each CPU figure measured as bench/run.py measures
`bulk` (the whole process tree, sampled, and the kernel's accounting of reaped children).
Probes, each iteration in a new context and tab, closed after it, as bulk does:

- `blank`:  navigate to about:blank (the per-navigation overhead without a page);
- `account-page`: one navigation to Manage My Account with a live session, and one read of its text;
- `sign-on-page`: one navigation to the sign-on page (no sign-in);
- `api`: the API sign-in (one request), its cookie, Manage My Account, one read;
- `form`: the browser sign-on form (page, AJAX answer), Manage My Account, one read.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import PYTHON, measure, mock_site  # noqa: E402

PASSWORD = "Floor-Passw0rd!"
PROBES = ("blank", "account-page", "sign-on-page", "api", "form")


async def probe(name: str, base_url: str, iterations: int, guard: str = "switches") -> None:
    from playwright.async_api import async_playwright
    from pydantic import SecretStr

    from flows.auth_api import request_token, use_token
    from verifier.browser._contexts import AccountContexts
    from verifier.browser._origin_guard import PacerOrigins
    from verifier.browser.launch import choice_from_environment, launch_args
    from verifier.check.site import SiteMap
    from verifier.check.verify import verify_account
    from verifier.models import Account

    site = SiteMap.for_base_url(base_url)
    origins = PacerOrigins(site.base_url)
    async with async_playwright() as playwright:
        choice = choice_from_environment(playwright)
        switches = origins.launch_args() if guard == "switches" else []
        browser = await playwright.chromium.launch(
            executable_path=choice.executable_path, channel=choice.channel, args=[*launch_args(), *switches]
        )

        async def new_context() -> Any:
            # As bulk does: "switches" for a browser it launched, "route" for one it was given.
            if guard != "route":
                return await browser.new_context()
            context = await browser.new_context(proxy=origins.context_proxy())  # type: ignore[arg-type]
            await origins.install_route(context)
            return context

        pool = AccountContexts(new_context)
        for i in range(iterations):
            username = f"floor{i:05d}"
            async with pool.session() as page:
                if name == "blank":
                    await page.goto("about:blank")
                elif name == "sign-on-page":
                    await page.goto(site.login_url)
                elif name in ("account-page", "api"):
                    answer = await request_token(
                        page.context.request, site.login_origin, username, SecretStr(PASSWORD), None, timeout_ms=30_000
                    )
                    assert answer.token, answer
                    await use_token(page.context, answer.token, site.session_cookie_scope())
                    await page.goto(site.account_url)
                    await page.locator("body").inner_text()
                else:
                    account = Account(username=username, password=SecretStr(PASSWORD))
                    await verify_account(page, account, site, check_courts=False)
        await pool.close()
        await browser.close()


def cpu_of(name: str, base_url: str, iterations: int, env: dict[str, str], guard: str = "switches") -> float:
    """User + system CPU-seconds of one probe process and everything it started."""
    command = [PYTHON, __file__, "--child", name, "--base-url", base_url, "--iterations", str(iterations)]
    command += ["--guard", guard]
    result = measure(name, iterations, command, env)
    if result.exit_code != 0:
        raise SystemExit(f"probe {name} failed")
    return result.cpu_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--probe", action="append", choices=PROBES, help="only these probes (repeatable)")
    parser.add_argument("--child", choices=PROBES, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument(
        "--guard",
        choices=("switches", "route", "none"),
        default="switches",
        help="how other origins are refused: Chromium's switches (a browser bulk launches), a per-context "
        "proxy rule and route (a browser it is given, --connect, --cdp), or not at all (before issue 19)",
    )
    args = parser.parse_args()
    if args.child:
        asyncio.run(probe(args.child, args.base_url, args.iterations, args.guard))
        return

    env = {k: v for k, v in os.environ.items() if not k.startswith("PACER_")}
    with tempfile.TemporaryDirectory(prefix="pacer-floor-") as scratch:
        scenario = Path(scratch) / "scenario.json"
        scenario.write_text(
            json.dumps(
                {
                    "accounts": [
                        {"username": f"floor{i:05d}", "password": PASSWORD, "account_number": f"{7100000 + i}"}
                        for i in range(args.iterations)
                    ]
                }
            )
        )
        with mock_site(scenario, env) as base_url:
            print(f"{'probe':<16}{'CPU-s per iteration':>22}")
            for name in args.probe or PROBES:
                start_up = cpu_of(name, base_url, 0, env, args.guard)
                total = cpu_of(name, base_url, args.iterations, env, args.guard)
                print(f"{name:<16}{(total - start_up) / args.iterations:>22.3f}")


if __name__ == "__main__":
    main()
