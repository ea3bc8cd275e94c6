"""Per-signal metadata columns: what visibility needs, by signal id."""

from __future__ import annotations

from accord.matching.columns import Columns, SignalMeta


def test_a_signal_s_metadata_reads_back_until_it_is_cleared() -> None:
    columns = Columns()
    columns.set(5000, owner=3, tlp="AMBER", channel=None, bank=2, kind="md5")
    columns.set(7, owner=1, tlp="GREEN", channel=4, bank=1, kind="pdq")
    assert columns.meta(5000) == SignalMeta(3, "AMBER", None, 2, "md5")
    assert columns.meta(7) == SignalMeta(1, "GREEN", 4, 1, "pdq")
    columns.clear(7)
    assert columns.meta(7) is None


def test_ids_never_set_or_beyond_the_arrays_have_no_metadata() -> None:
    columns = Columns()
    assert columns.meta(1) is None
    columns.set(1, owner=1, tlp="CLEAR", channel=None, bank=1, kind="url")
    assert columns.meta(2) is None
    assert columns.meta(10**6) is None
    columns.clear(10**6)  # ignored
