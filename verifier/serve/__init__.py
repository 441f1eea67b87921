"""`pacer-verify serve`: a small web app on the firm's network where each attorney checks their own PACER
account, so that IT never holds a password.

One job per module: `people` (the roster, without passwords), `links` (personal, expiring, signed
links), `security` (headers, body size, CSRF, rate limits, the admin token), `checks` (the queue that
runs each check on the same code path as `bulk` and appends to results.jsonl), `views` (pages), `app`
(routes and the server's life) and `launch` (uvicorn, TLS, what is printed at start).
"""
