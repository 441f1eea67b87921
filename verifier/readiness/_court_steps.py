"""Each court's checklist items: the old CM/ECF login where it is still the way in, and the PACER account
linked to the CM/ECF account there (from the court's NextGen go-live, by the court registry); a court id
the registry does not know is listed, not checked. Pure, as the rest of the checklist (``_checklist``).
"""

from __future__ import annotations

import datetime as dt

from verifier.models import Account, CourtCheck, Status, Step, StepKind, StepState, step_id
from verifier.readiness.courts import Court, CourtRegistry, did_you_mean

LINK_PATH = "Utilities → Link a CM/ECF account to my PACER account"
LINK_PATH_APPELLATE = "Utilities → Link my filer account to my PACER account"
CURRENTGEN = "not on NextGen yet; keep using the court's CM/ECF login"
DATE_NOT_FOUND = "go-live date not found"


def unknown_court(court_id: str, courts: CourtRegistry) -> Step:
    """A court id the registry does not know: listed, with the ids it may have meant, not checked."""
    return Step(
        kind=StepKind.UNKNOWN_COURT,
        id=step_id(StepKind.UNKNOWN_COURT, court_id),
        title=f"Unknown court {court_id} — not checked",
        state=StepState.UNKNOWN,
        detail=f"{court_id!r} is not in the court registry; {did_you_mean(courts.suggest(court_id))} "
        "Correct the roster, or add the court with --courts",
    )


def cmecf_login(
    account: Account, court_id: str, court: Court | None, check: CourtCheck | None, today: dt.date
) -> Step | None:
    """The old CM/ECF login, where it is still the way in (CurrentGen, or before go-live) or was tried.

    In a court already live on NextGen the PACER account signs in, and the old login matters only once,
    when linking; the linking step covers that, so no step here unless a check tried the login.
    """
    if not account.cmecf_username:
        return None
    tried = check.cmecf_login_ok if check is not None else None
    in_use = court is not None and not court.live_on(today)
    if tried is None and not in_use:
        return None
    kind = StepKind.CMECF_LOGIN
    if tried is True:
        return Step(kind=kind, court=court_id, title="CM/ECF login works", state=StepState.DONE)
    if tried is False:
        return Step(
            kind=kind,
            court=court_id,
            title="Find your current CM/ECF login",
            state=StepState.TODO,
            detail=f"The CM/ECF login for {court_id} was rejected; find the current one or contact the "
            f"court's help desk (login: {account.cmecf_username})",
        )
    reason = check.message if check is not None and check.message else "not checked"
    return Step(kind=kind, court=court_id, title="CM/ECF login", state=StepState.UNKNOWN, detail=reason)


def _not_checked(status: Status, check: CourtCheck | None) -> str:
    if check is not None and check.message:
        return check.message
    if not status.signed_in:
        return f"not checked: the sign-in ended as {status.value}"
    return "not checked"


def _link(court_id: str, title: str, state: StepState, detail: str = "", deadline: dt.date | None = None) -> Step:
    return Step(kind=StepKind.LINKED, court=court_id, title=title, state=state, detail=detail, deadline=deadline)


def _linked_off_the_registry(court_id: str, linked: bool | None) -> Step:
    # Filing menus seen in the court's CM/ECF are proof enough, registry or not.
    if linked is True:
        return _link(court_id, "Linked in CM/ECF", StepState.DONE, "court not in the registry")
    return _link(court_id, "Link in this court", StepState.UNKNOWN, "court not in the registry (add it with --courts)")


def linked(status: Status, court_id: str, court: Court | None, check: CourtCheck | None, today: dt.date) -> Step:
    """The PACER account linked to the CM/ECF account in the court: from its go-live, a step to do."""
    linked = check.linked if check is not None else None
    if court is None:
        return _linked_off_the_registry(court_id, linked)
    if court.acms and linked is not True:
        note = court.note or "the court files through ACMS; CM/ECF linking does not apply"
        return _link(court_id, "Files through ACMS", StepState.INFO, note)
    if not court.is_nextgen:
        return _link(court_id, "Not on NextGen yet", StepState.INFO, CURRENTGEN)
    path = LINK_PATH_APPELLATE if court.kind == "appellate" else LINK_PATH
    go_live = court.nextgen_go_live
    if linked is True:
        # Seen linked: done, even if the registry's date says the court is not live yet (the date is wrong).
        return _link(court_id, "Linked in CM/ECF", StepState.DONE, "" if go_live else DATE_NOT_FOUND)
    if go_live is not None and not court.live_on(today):
        # TODO rather than INFO: it is the attorney's own dated action, and until it is done the attorney
        # is not ready to file there. The deadline is the day it becomes possible (and necessary).
        after = f"link after go-live on {go_live.isoformat()}: {path}"
        return _link(court_id, "Link CM/ECF to PACER after go-live", StepState.TODO, after, deadline=go_live)
    note = "" if go_live else f" ({DATE_NOT_FOUND})"
    if linked is False:
        return _link(court_id, "Link your CM/ECF account", StepState.TODO, path + note)
    return _link(court_id, "Link your CM/ECF account", StepState.UNKNOWN, _not_checked(status, check) + note)
