"""What each attorney must still do, and by when: the checklist, roster-wide findings and the courts.

- `verifier.readiness` (this package) offers the checklist rules of `_checklist`: `finalizer` (a
  checked account's `Readiness`: its checklist and next steps, for verifier.run.results to put in the result),
  `build_checklist`, `roster_findings`, `ordered_todo` (the one next-step order every output uses),
  `deadline_phrase`, `summarize_by_court` and their types; and of `_mfa`: the MFA item as PACER advises
  (enroll now when its prompt asks; until then a heads-up), and `mfa_advice`, its reading of a checklist.
- `Where` (`readiness._where`): where the accounts came from (a roster row, `check`'s variables, what an
  attorney typed), for the words of a status's next step and the command that checks an attorney again.
- `readiness.courts`: the court registry (`load_courts`, `CourtRegistry`), shipped in `verifier/data/`.
- `readiness.courts_lookup`: writes the registry from PACER's Court CM/ECF Lookup data
  (`python -m verifier.readiness.courts_lookup data.json`).
"""

from verifier.readiness._checklist import (
    ACCOUNT_WIDE,
    COURT_RANK,
    CURRENTGEN,
    DATE_NOT_FOUND,
    FILING_AGENTS,
    LINK_PATH,
    LINK_PATH_APPELLATE,
    NO_COURT,
    OTHER_RANK,
    SELF_RESET_FROM,
    SHARED,
    STEP_RANKS,
    UPGRADE_PATH,
    CheckedAccount,
    CourtSummary,
    Finalize,
    Readiness,
    RosterFindings,
    SeveralAccounts,
    build_checklist,
    deadline_phrase,
    finalizer,
    next_steps_for,
    next_steps_from,
    ordered_todo,
    person_key,
    roster_findings,
    step_rank,
    summarize_by_court,
)
from verifier.readiness._mfa import MFA_DEADLINE, MFA_PATH, MfaAdvice, enroll_now_is_the_fix, mfa_advice, skips_said
from verifier.readiness._where import ROSTER, Where

__all__ = [
    "ACCOUNT_WIDE",
    "COURT_RANK",
    "CURRENTGEN",
    "DATE_NOT_FOUND",
    "FILING_AGENTS",
    "LINK_PATH",
    "LINK_PATH_APPELLATE",
    "MFA_DEADLINE",
    "MFA_PATH",
    "NO_COURT",
    "OTHER_RANK",
    "ROSTER",
    "SELF_RESET_FROM",
    "SHARED",
    "STEP_RANKS",
    "UPGRADE_PATH",
    "CheckedAccount",
    "CourtSummary",
    "Finalize",
    "MfaAdvice",
    "Readiness",
    "RosterFindings",
    "SeveralAccounts",
    "Where",
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
    "skips_said",
    "step_rank",
    "summarize_by_court",
]
