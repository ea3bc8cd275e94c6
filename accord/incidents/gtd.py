"""Reading GTD exports (CSV or XLSX) into checked incident rows.

Columns are GTD's own names. Codes may come as numbers (``attacktype1``)
or labels (``attacktype1_txt``). The free-text columns that can name people
(``codebook.DROPPED_COLUMNS``) are never read. A bad row is reported with its
row number and skipped; the rest of the file is imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from accord.errors import Invalid, trimmed
from accord.incidents import codebook as cb
from accord.incidents.tables import RowError, Table

REQUIRED = ("iyear", "imonth", "iday", "country_txt")
# Each pair: either column may carry the value.
CODED = (("attacktype1", "attacktype1_txt"), ("targtype1", "targtype1_txt"),
         ("weaptype1", "weaptype1_txt"))
TEXT = ("eventid", "region_txt", "provstate", "city", "gname")
NUMBERS = ("latitude", "longitude")
COUNTS = ("nkill", "nkillter", "nwound")
# GTD flags: 1 yes, 0 no, -9 unknown (stored as empty).
FLAGS = ("success", "suicide", "claimed", "doubtterr", "crit1", "crit2", "crit3")
FIRST_YEAR = 1970

Row = dict[str, Any]


def check_header(header: list[str]) -> list[str]:
    """``Invalid`` when a required GTD column is missing; returns the dropped columns."""
    have = set(header)
    missing = [c for c in REQUIRED if c not in have]
    missing += [f"{a} or {b}" for a, b in CODED[:2] if a not in have and b not in have]
    if missing:
        raise Invalid("the file lacks the GTD column(s) {missing}",
                      hint="export from the GTD with its own column names (iyear, imonth, iday, "
                           "country_txt, attacktype1_txt, targtype1_txt, ...); ACLED files need "
                           "event_id_cnty", missing=", ".join(missing))
    return [c for c in header if c in cb.DROPPED_COLUMNS]


def _int(value: str, what: str) -> int:
    try:
        return int(float(value))
    except ValueError:
        raise Invalid("{what} {value} is not a number", what=what, value=trimmed(value)) from None


def _count(value: str, what: str) -> int | None:
    value = value.strip()
    if not value or value == "-99":  # GTD writes -99 for "unknown" in some counts
        return None
    number = _int(value, what)
    if number < 0:
        raise Invalid("{what} is negative ({number})", what=what, number=number)
    return number


def _flag(value: str, what: str) -> bool | None:
    value = value.strip()
    if value in ("", "-9"):
        return None
    if value not in ("0", "1", "0.0", "1.0"):
        raise Invalid("{what} {value} is not 0, 1 or -9", what=what, value=trimmed(value))
    return value.startswith("1")


def _coordinate(value: str, what: str, limit: float) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise Invalid("{what} {value} is not a number", what=what, value=trimmed(value)) from None
    if not -limit <= number <= limit:
        raise Invalid("{what} {number} is outside -{limit:g}..{limit:g}", what=what, number=number,
                      limit=limit)
    return number


def check_date(year: int, month: int, day: int) -> None:
    """``Invalid`` for an impossible date; GTD's month or day 0 means unknown."""
    if not FIRST_YEAR <= year <= dt.datetime.now(dt.UTC).date().year:
        raise Invalid("iyear {year} is outside {first_year}-{now_year}", year=year,
                      first_year=FIRST_YEAR, now_year=dt.datetime.now(dt.UTC).date().year)
    if not 0 <= month <= 12:
        raise Invalid("imonth {month} is not 0 (unknown) or 1-12", month=month)
    if day and not month:
        raise Invalid("iday {day} is given without a month", day=day)
    if day and month:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise Invalid("{year}-{month:02d}-{day:02d} is not a date", year=year, month=month,
                          day=day) from None
    elif not 0 <= day <= 31:
        raise Invalid("iday {day} is not 0 (unknown) or 1-31", day=day)


class GtdRowReader:
    """Turns GTD rows (lists of strings) into incident column dicts."""

    def __init__(self, header: list[str]) -> None:
        at = {name: i for i, name in enumerate(header)}
        wanted = (*REQUIRED, *(c for pair in CODED for c in pair), *TEXT, "region", *NUMBERS,
                  *COUNTS, *FLAGS)
        self.fields = [(name, at[name]) for name in wanted if name in at]
        self.width = len(header)

    def read(self, row: list[str]) -> Row:
        """The checked incident, or ``Invalid`` naming the first problem."""
        if len(row) != self.width:
            raise Invalid("the row has {row_count} fields, the header has {width}",
                          row_count=len(row), width=self.width)
        cells = {name: row[i].strip() for name, i in self.fields}

        def get(name: str) -> str:
            return cells.get(name, "")

        out: Row = {"iyear": _int(get("iyear"), "iyear"),
                    "imonth": _int(get("imonth") or "0", "imonth"),
                    "iday": _int(get("iday") or "0", "iday")}
        check_date(out["iyear"], out["imonth"], out["iday"])
        country = get("country_txt")
        if not country:
            raise Invalid("country_txt is empty")
        out["country_txt"] = country[:100]
        for name in TEXT:
            out[name] = get(name)[:300 if name == "gname" else 100]
        out["eventid"] = out["eventid"] or None
        region = get("region") or ""
        if region or out["region_txt"]:
            out["region_txt"] = cb.REGIONS[cb.REGION.code(region, out["region_txt"])]
        out["latitude"] = _coordinate(get("latitude"), "latitude", 90)
        out["longitude"] = _coordinate(get("longitude"), "longitude", 180)
        attack = cb.ATTACK.code(get("attacktype1"), get("attacktype1_txt"))
        target = cb.TARGET.code(get("targtype1"), get("targtype1_txt"))
        weapon_code, weapon_text = get("weaptype1"), get("weaptype1_txt")
        weapon = cb.WEAPON.code(weapon_code, weapon_text) if weapon_code or weapon_text else 13
        out["attacktype1_txt"] = cb.ATTACK_TYPES[attack]
        out["targtype1"], out["targtype1_txt"] = target, cb.TARGET_TYPES[target]
        out["weaptype1_txt"] = cb.WEAPON_TYPES[weapon]
        for name in COUNTS:
            out[name] = _count(get(name), name)
        if out["nkill"] is not None and (out["nkillter"] or 0) > out["nkill"]:
            raise Invalid("nkillter {nkillter} exceeds nkill {nkill}", nkillter=out['nkillter'],
                          nkill=out['nkill'])
        for name in FLAGS:
            out[name] = _flag(get(name), name)
        return out


def read_rows(table: Table) -> Iterator[Row | RowError]:
    """Checked incidents from a GTD table, with a ``RowError`` for each bad row."""
    reader = GtdRowReader(table.header)
    for number, row in table.rows:
        if not any(cell.strip() for cell in row):
            continue
        try:
            yield reader.read(row)
        except Invalid as exc:
            yield RowError(number, exc.message, error=exc)
