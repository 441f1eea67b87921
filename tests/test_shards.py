"""--shard K/N: N shards partition a roster exactly, whatever the case of a username; bad shards are usage errors."""

from __future__ import annotations

import pytest

from verifier.errors import UsageError
from verifier.run.shard import Shard


def test_shards_partition_a_roster_exactly() -> None:
    names = [f"user{i:04d}" for i in range(500)]
    shards = [Shard(k, 4) for k in range(1, 5)]
    slices = [[n for n in names if s.slot_of(n) == s.index] for s in shards]
    assert sorted(n for part in slices for n in part) == sorted(names)
    assert all(40 < len(part) < 200 for part in slices)
    assert Shard(2, 4).slot_of("User0001") == Shard(2, 4).slot_of("user0001")


@pytest.mark.parametrize("text", ["0/4", "5/4", "a/b", "3", "1/0"])
def test_bad_shards(text: str) -> None:
    with pytest.raises(UsageError):
        Shard.parse(text)
