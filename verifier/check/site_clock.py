"""How far this machine's clock is from the site's, read from the HTTP `Date` header of one plain request.

One-time codes are made from the time (RFC 6238): with the machine's clock 90 s away from the site's,
every code is refused. The `Date` header every HTTP answer carries (RFC 9110 section 6.6.1) is the
site's own clock, to the second; one request without credentials reads it. The codes are then made on
the site's clock. Whether PACER's servers keep accurate time is not published; its `Date` header is
what its code check is most likely to use (docs/real-site.md, "The clock").
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from verifier.check.site import is_local_url, loopback_only_requested

log = logging.getLogger(__name__)

#: Clocks further apart than this get a warning (a code is good for 30 s, a step either side is usually taken).
WARN_S = 10.0
#: `Date` is whole seconds, and the request takes a moment: a smaller difference is not a measurement.
NOISE_S = 2.0


@dataclass(frozen=True)
class ClockReading:
    """The site's `Date` and this machine's clock at the same moment."""

    site: float
    local: float

    @property
    def offset_s(self) -> float:
        """Seconds to add to this machine's clock to get the site's (0 within the measurement's noise)."""
        difference = self.site - self.local
        return difference if abs(difference) > NOISE_S else 0.0

    @property
    def differs(self) -> bool:
        return abs(self.site - self.local) > WARN_S

    def warning(self) -> str:
        """The sentence for a person: both times, and what is done about it."""
        return (
            f"this machine's clock ({_stamp(self.local)}) is {_span(self.site - self.local)} the site's "
            f"({_stamp(self.site)}, from its Date header); one-time codes are made on the site's clock. "
            "Set this machine's clock right (NTP)"
        )


def read_site_clock(origin: str, timeout_s: float = 5.0) -> ClockReading | None:
    """The site's clock from a `HEAD /` (no credentials, redirects not followed); None when there is no
    readable `Date` (the caller then uses this machine's clock)."""
    if loopback_only_requested() and not is_local_url(origin):
        return None  # sealed to loopback (the test suite): the browser could not reach it either
    request = urllib.request.Request(origin.rstrip("/") + "/", method="HEAD")
    opener = urllib.request.build_opener(_NoRedirect)
    sent = time.time()
    try:
        with opener.open(request, timeout=timeout_s) as response:
            date = response.headers.get("Date")
    except urllib.error.HTTPError as answer:  # a 3xx/4xx/5xx still says the time
        date = answer.headers.get("Date") if answer.headers else None
    except (OSError, ValueError) as exc:
        log.info("could not read the site's clock from %s: %s", origin, exc)
        return None
    received = time.time()
    try:
        site = parsedate_to_datetime(date).timestamp() if date else None
    except (TypeError, ValueError):
        site = None
    if site is None:
        return None
    # The header is cut to the second: its middle is the best guess; the request's middle is when it was read.
    return ClockReading(site=site + 0.5, local=(sent + received) / 2)


def clock_sentence(offset_s: float | None) -> str:
    """For an `otp_rejected` result: whether this machine's clock and the site's differed when the code
    was made (so the reader knows whether to look at the clock or at the secret)."""
    if offset_s is None:
        return "the site's clock could not be read, so the code was made on this machine's clock"
    if abs(offset_s) > WARN_S:
        return f"this machine's clock was {_span(offset_s)} the site's; the code was made on the site's clock"
    return "this machine's clock agreed with the site's (within 10 s)"


def _span(difference: float) -> str:
    """E.g. "90 s behind" for difference = site - local = 90."""
    seconds = round(abs(difference))
    return f"{seconds} s {'behind' if difference > 0 else 'ahead of'}"


def _stamp(when: float) -> str:
    return dt.datetime.fromtimestamp(when, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
