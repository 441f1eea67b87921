"""What each attorney must still do, and by when: the checklist, roster-wide findings and the courts.

- `verifier.readiness` (this package) offers the checklist rules of `_checklist`: `finalizer` (a
  checked account's `Readiness`: its checklist and next steps, for verifier.run.results to put in the
  result) and `build_checklist` (each court's items in `_court_steps`); of `_findings`: `roster_findings`
  (shared usernames, several accounts); of `_next`: the next steps as data (`next_steps_for`, in the one
  order of `models.ordered_todo`), their words (`said`, `said_short`, `deadline_phrase`) and
  `summarize_by_court`; and of `_mfa`: the MFA item as PACER advises (enroll now when its prompt asks;
  until then a heads-up), and `mfa_advice`, its reading of a checklist.
- `Where` (`readiness._where`): where the accounts came from (a roster row, `check`'s variables, what an
  attorney typed), for the words of a status's next step and the command that checks an attorney again
  (`advice_of` says a status step).
- `readiness.courts`: the court registry (`load_courts`, `CourtRegistry`), shipped in `verifier/data/`.
- `readiness.courts_lookup`: writes the registry from PACER's Court CM/ECF Lookup data
  (`python -m verifier.readiness.courts_lookup data.json`).
"""

from verifier.models import ordered_todo
from verifier.readiness._checklist import (
    FILING_AGENTS,
    SELF_RESET_FROM,
    SHARED,
    UPGRADE_PATH,
    CheckedAccount,
    Finalize,
    Readiness,
    build_checklist,
    finalizer,
)
from verifier.readiness._court_steps import CURRENTGEN, DATE_NOT_FOUND, LINK_PATH, LINK_PATH_APPELLATE
from verifier.readiness._findings import NO_COURT, RosterFindings, SeveralAccounts, person_key, roster_findings
from verifier.readiness._mfa import MFA_DEADLINE, MFA_PATH, MfaAdvice, enroll_now_is_the_fix, mfa_advice, skips_said
from verifier.readiness._next import (
    ACCOUNT_WIDE,
    CourtSummary,
    deadline_phrase,
    next_steps_for,
    next_steps_from,
    said,
    said_all,
    said_short,
    shared_title,
    summarize_by_court,
)
from verifier.readiness._where import ROSTER, Where, advice_of

__all__ = [
    "ACCOUNT_WIDE",
    "CURRENTGEN",
    "DATE_NOT_FOUND",
    "FILING_AGENTS",
    "LINK_PATH",
    "LINK_PATH_APPELLATE",
    "MFA_DEADLINE",
    "MFA_PATH",
    "NO_COURT",
    "ROSTER",
    "SELF_RESET_FROM",
    "SHARED",
    "UPGRADE_PATH",
    "CheckedAccount",
    "CourtSummary",
    "Finalize",
    "MfaAdvice",
    "Readiness",
    "RosterFindings",
    "SeveralAccounts",
    "Where",
    "advice_of",
    "build_checklist",
    "deadline_phrase",
    "enroll_now_is_the_fix",
    "finalizer",
    "mfa_advice",
    "next_steps_for",
    "next_steps_from",
    "ordered_todo",
    "person_key",
    "roster_findings",
    "said",
    "said_all",
    "said_short",
    "shared_title",
    "skips_said",
    "summarize_by_court",
]
