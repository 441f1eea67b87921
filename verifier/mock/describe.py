"""What each mock account shows, in words: for `pacer-verify mock`'s table and the accounts table in
docs/pytest-plugin.md (written by fixtures/generate.py, checked by the tests), so neither drifts."""

from __future__ import annotations

from verifier.mock.scenario import MockAccount, MockScenario


def account_notes(account: MockAccount) -> list[str]:
    """The account's particulars beyond its expected status, shortest first where it matters."""
    notes = [
        note
        for note, on in (
            ("filer (Redaction Agreement)", account.filer),
            ("MFA (one-time code)", account.otp_secret),
            (f"Multifactor Auth shown as {_MFA_SHOWN[account.mfa_shown]}", account.mfa_shown != "words"),
            (f"PAA: {account.paa}", account.paa),
            ("owns a PAA", account.paa_admin),
            ("the PAA requires a client code", account.client_code_required),
            (f"{account.state} account", account.state != "active"),
            (f"update required{_kind(account)}, {account.skips_left} skip(s) left", account.update_required),
            (f"API reminder: password by {account.password_reminder}", account.password_reminder),
            (f"markup variant {account.variant}", account.variant != "inline"),
            ("own faults: " + ", ".join(_fault(f) for f in account.faults), account.faults),
        )
        if on
    ]
    for court, login in account.cmecf.items():
        notes.append(f"CM/ECF {court}: {login.login} / {login.password}, {'linked' if login.linked else 'not linked'}")
    return notes


_MFA_SHOWN = {"words": "words", "link": "an Enroll link alone", "app": "the app's name", "date": "a date"}


def _kind(account: MockAccount) -> str:
    return " (MFA enrollment)" if account.update_kind == "mfa_enrollment" else ""


def _fault(rule: object) -> str:
    kind = getattr(rule, "kind", "?")
    status = getattr(rule, "status", "")
    path = getattr(rule, "path", "")
    return f"{kind} {status} on {path}" if kind == "status" else f"{kind} on {path}"


def accounts_markdown(scenario: MockScenario) -> str:
    """A Markdown table: username, password, one-time-code secret, name, status pacer-verify reports, notes."""
    lines = [
        "| username | password | OTP secret | name | status (right password and secret) | notes |",
        "|---|---|---|---|---|---|",
    ]
    for a in scenario.accounts:
        cells = [
            f"`{a.username}`",
            f"`{a.password}`",
            f"`{a.otp_secret}`" if a.otp_secret else "",
            a.name,
            f"`{a.expected_status()}`",
            "; ".join(account_notes(a)),
        ]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def courts_markdown(scenario: MockScenario) -> str:
    lines = ["| court id | sign-on id | name | kind | generation |", "|---|---|---|---|---|"]
    lines += [f"| `{c.id}` | `{c.cso_id}` | {c.name} | {c.kind} | {c.generation} |" for c in scenario.courts]
    return "\n".join(lines) + "\n"
