"""``tmk`` values in the exchange formats: 351 KB of text per signal must survive CSV."""

from __future__ import annotations

import io

from accord.curation.formats import read_csv
from accord.curation.signals import SignalInput
from accord.exchange.formats.hma import read_hma_csv, write_hma_csv
from accord.signals.tmk import TmkSignal

VALUE = TmkSignal.examples()[0]


def test_a_tmk_value_round_trips_through_an_hma_csv_under_tx_s_name() -> None:
    out = io.StringIO()
    write_hma_csv([SignalInput(signal_type="tmk", value=VALUE)], out)
    assert out.getvalue().startswith("signal_type,signal_value\ntmk_pdqf,TMK1FVECPDQF|")
    [(line, row)] = list(read_hma_csv(io.StringIO(out.getvalue())))
    assert isinstance(row, SignalInput), row
    assert (line, row.signal_type, row.value) == (2, "tmk", VALUE)


def test_a_tmk_value_is_read_from_accord_s_own_csv() -> None:
    text = f"signal_type,signal_value\ntmk,{VALUE}\n"
    [(_, row)] = list(read_csv(io.StringIO(text)))
    assert isinstance(row, SignalInput), row
    assert row.value == VALUE
