"""Time-based one-time codes: the rule lives with the sign-in step (flows.otp); re-exported here for
the roster and the mock, which read secrets by the same rule."""

from flows.otp import (
    DIGITS,
    MIN_BITS,
    PERIOD_S,
    BadOtpSecret,
    code_at,
    matching_step,
    normalize_secret,
    step_at,
    verify_code,
)

__all__ = [
    "DIGITS",
    "MIN_BITS",
    "PERIOD_S",
    "BadOtpSecret",
    "code_at",
    "matching_step",
    "normalize_secret",
    "step_at",
    "verify_code",
]
