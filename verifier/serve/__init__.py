"""`pacer-verify serve`: a small web app on the firm's network where each attorney checks their own PACER
account, so that IT never holds a password.

One job per module:

- `people` (the roster, without passwords), `links` (personal, expiring, signed links);
- `launch` (where it listens, which hosts and origins are its own, the proxy believed, IT's token) and
  `listener` (uvicorn on asyncio and h11: slow clients cut off, connections capped, proxy headers);
- `security` (headers on every answer, errors as pages, the Origin check, body size, rate limits),
  `csrf` (server-made CSRF tokens), `admin_auth` (IT's token and sessions);
- `failures` (failed sign-ins per username, kept in OUT), `record` (each account's last reading and the
  failed attempts since, for IT);
- `checks` (the queue that runs each check on the same code path as `bulk` and appends to
  results.jsonl), `check_form` (POST /check and everything refused before a sign-in);
- `views` and `form_view` (pages), `admin_pages` (IT's view), `app` (routes and the server's life).
"""
