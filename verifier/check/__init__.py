"""One attorney's account, in one browser page: sign in (PACER's Authentication API or the sign-on
form), read Manage My Account, visit each court. Everything here is about one account; scheduling many
is `verifier.run`.

- `check.verify`: `verify_account`, the whole check of one account (given as one `CheckContext`), returning
  an `AccountOutcome`; `SignInSwitch`, the run's way of signing in and its one switch from the API to the
  form, with its rule (`_switch` (private): the rule as a pure function).
- `check.court_visits`: each court of the account, once it is signed in and read.
- `check.outcome`: `AccountOutcome`, what the check found (status, what the site said, the page, courts,
  notes), plain values: the run makes the `Result` of it (verifier.run.results).
- `check.site`: `SiteMap`, where PACER's pages are (the real hosts, or one `--base-url` origin).
- `check.preflight`: is the site there at all, before the first sign-in.
- `check.site_guard`: the bundled made-up accounts never go to the real PACER; the real PACER is announced.
- `check.otp_ledger` and `check.site_clock`: each one-time code spent once per account, made on the site's clock.
- `_page_trust` (private): a status only from a page that is PACER's and shows this account, once.
"""
