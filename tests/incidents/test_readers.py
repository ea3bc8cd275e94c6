"""GTD codes, flags and files as the GTD writes them; unreadable files refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import Invalid
from accord.incidents import codebook, gtd
from accord.incidents.tables import RowError, open_table, text_table


def _read(header: str, row: str) -> dict[str, object]:
    [item] = list(gtd.read_rows(text_table(f"{header}\n{row}\n")))
    assert not isinstance(item, RowError), item
    return item


def test_codes_may_be_numbers_or_labels_and_numbers_win() -> None:
    header = "iyear,imonth,iday,country_txt,attacktype1,attacktype1_txt,targtype1,weaptype1"
    row = _read(header, "2010,5,0,Freedonia,3,Bombing/Explosion,19,6")
    assert row["attacktype1_txt"] == "Bombing/Explosion"
    assert (row["targtype1"], row["targtype1_txt"]) == (19, "Transportation")
    assert row["weaptype1_txt"] == "Explosives"


def test_an_unknown_code_number_names_the_range() -> None:
    with pytest.raises(Invalid, match="target type code '23'") as caught:
        codebook.TARGET.code("23", "")
    assert caught.value.hint == "use one of 1-22"


def test_older_gtd_labels_are_read_as_the_current_ones() -> None:
    assert codebook.WEAPON.code("", "Explosives/Bombs/Dynamite") == 6


def test_gtd_unknowns_are_stored_as_unknown() -> None:
    header = "iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt,nkill,claimed," \
             "doubtterr,success"
    row = _read(header, "2010,0,0,Freedonia,Unknown,Unknown,,-9,-9,1")
    assert (row["imonth"], row["iday"], row["nkill"]) == (0, 0, None)
    assert (row["claimed"], row["doubtterr"], row["success"]) == (None, None, True)


def test_a_day_without_a_month_is_impossible() -> None:
    with pytest.raises(Invalid, match="without a month"):
        gtd.check_date(2010, 0, 12)


def test_an_empty_file_and_a_broken_workbook_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(Invalid, match="empty"):
        open_table(tmp_path / "empty.csv")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(Invalid, match="not a readable XLSX workbook") as caught:
        open_table(tmp_path / "broken.xlsx")
    assert caught.value.hint is not None and "CSV" in caught.value.hint
    with pytest.raises(Invalid, match="no file"):
        open_table(tmp_path / "missing.csv")


def test_a_binary_upload_is_refused() -> None:
    with pytest.raises(Invalid, match="NUL"):
        text_table("iyear,imonth\n2010\x00,1\n")
