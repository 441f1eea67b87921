"""Deterministic slices of a roster, so N machines or CI jobs can share one large roster."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from verifier.errors import UsageError


@dataclass(frozen=True)
class Shard:
    """The K-th of N slices (1-based). An account's slice depends on its username only, so an
    edited or re-ordered roster keeps every account in the same shard, and people sharing one
    login land in the same shard (it is checked once)."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
        if not match:
            raise UsageError(f"--shard {text!r}: expected K/N, e.g. 2/4")
        index, count = int(match.group(1)), int(match.group(2))
        if count < 1 or not 1 <= index <= count:
            raise UsageError(f"--shard {text!r}: K must be between 1 and N")
        return cls(index, count)

    def slot_of(self, username: str) -> int:
        digest = hashlib.sha256(username.strip().lower().encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count + 1

    def includes(self, item: object) -> bool:
        username = getattr(item, "username", None) or ""
        if not username:
            # Unreadable rows have no stable key; shard 1 reports them so they appear exactly once.
            return self.index == 1
        return self.slot_of(username) == self.index
