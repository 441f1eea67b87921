"""Many accounts, politely: the bulk job, its scheduler and the rules that protect the attorneys.

- `run.bulk`: `run_bulk(settings, BulkPlan)`, the whole `pacer-verify bulk` job.
- `run.runner`: `Runner` (scheduling, shared logins, the lockout rule), `RunSummary`.
- `run.account`: `AccountChecker`, one account with its retries, under `--timeout` and `--account-timeout`.
- `run.results`: the one place a `Result` is made (`result_of`, `result_of_invalid_row`), for bulk,
  check, serve and the library's `check_account`.
- `run.signin_gate`: the rate limit and every wait for a sign-in (the hold of the run's switch to the form
  included: verifier.check.verify.SignInSwitch), ended at once by a stop.
- `run.shard`, `run.progress`: a slice of the roster; the progress line.
- `_retry` (private): the pure rule of whether a password is safe to send again; `_ratelimit` (private).
"""
