"""The one table of status facts: complete, and the groups the reports count read from it."""

from verifier.statuses import FACTS, NOT_CHECKED, ORDER, SIGN_IN_PROBLEMS, WITH_SCREENSHOT, Status, count_statuses


def test_every_status_has_one_row_and_a_place_in_the_order() -> None:
    assert set(FACTS) == set(Status) and sorted(ORDER) == sorted(Status)
    assert ORDER[0] is Status.LOCKED and ORDER[-1] is Status.UPGRADED
    assert all(f.meaning and f.next_step and f.style and f.bar_color.startswith("#") for f in FACTS.values())


def test_groups_do_not_overlap_and_signed_in_is_only_the_two_readable_outcomes() -> None:
    assert not SIGN_IN_PROBLEMS & NOT_CHECKED
    assert {s for s in Status if s.signed_in} == {Status.UPGRADED, Status.LEGACY}
    assert WITH_SCREENSHOT == {Status.UNRECOGNIZED_PAGE, Status.SITE_ERROR} <= NOT_CHECKED


def test_count_statuses_keeps_zeros_in_reading_order() -> None:
    counts = count_statuses([Status.LEGACY, Status.LOCKED, Status.LEGACY])
    assert list(counts) == list(ORDER)
    assert counts[Status.LEGACY] == 2 and counts[Status.LOCKED] == 1 and counts[Status.UPGRADED] == 0
