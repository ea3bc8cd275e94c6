"""Reading ACLED CSV exports into incident rows with GTD field names.

ACLED codes events differently from the GTD; this maps its sub-event types
onto GTD attack types, its civilian-targeting flag onto GTD's "Private
Citizens & Property", and ``fatalities`` onto ``nkill``. ``notes``,
``source`` and the actor-association columns are never read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from accord.errors import Invalid, trimmed
from accord.incidents import codebook as cb
from accord.incidents.gtd import Row, check_date
from accord.incidents.tables import RowError, Table

REQUIRED = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "country")

_ATTACK_BY_SUB_EVENT = {
    "armed clash": 2, "attack": 2, "air/drone strike": 3, "shelling/artillery/missile attack": 3,
    "remote explosive/landmine/ied": 3, "suicide bomb": 3, "grenade": 3,
    "abduction/forced disappearance": 6, "sexual violence": 8,
    "looting/property destruction": 7, "arrests": 9,
}
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%m/%d/%Y")


def is_acled(header: list[str]) -> bool:
    """True when the header is an ACLED export's."""
    return "event_id_cnty" in header


def check_header(header: list[str]) -> None:
    """``Invalid`` when a column ACLED always exports is missing."""
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise Invalid("the ACLED file lacks the column(s) " + ", ".join(missing),
                      hint="export the file from the ACLED data export tool unchanged")


def _date(text: str) -> dt.date:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise Invalid(f"event_date {trimmed(text)} is not a date (YYYY-MM-DD)")


def _read(at: dict[str, int], row: list[str]) -> Row:
    def get(name: str) -> str:
        i = at.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    if len(row) != len(at):
        raise Invalid(f"the row has {len(row)} fields, the header has {len(at)}")
    day = _date(get("event_date"))
    check_date(day.year, day.month, day.day)
    fatalities = get("fatalities") or "0"
    try:
        nkill = int(fatalities)
    except ValueError:
        raise Invalid(f"fatalities {trimmed(fatalities)} is not a number") from None
    if nkill < 0:
        raise Invalid(f"fatalities is negative ({nkill})")
    sub = get("sub_event_type").lower()
    attack = _ATTACK_BY_SUB_EVENT.get(sub, 9)
    civilians = "civilian" in get("civilian_targeting").lower()
    target = 14 if civilians else 20
    weapon = 6 if attack == 3 else 13
    lat, lon = get("latitude"), get("longitude")
    return {
        "eventid": ("ACLED-" + get("event_id_cnty"))[:20], "iyear": day.year,
        "imonth": day.month, "iday": day.day, "country_txt": get("country")[:100],
        "region_txt": get("region")[:100], "provstate": get("admin1")[:100],
        "city": get("location")[:100],
        "latitude": float(lat) if lat else None, "longitude": float(lon) if lon else None,
        "attacktype1_txt": cb.ATTACK_TYPES[attack], "targtype1": target,
        "targtype1_txt": cb.TARGET_TYPES[target], "weaptype1_txt": cb.WEAPON_TYPES[weapon],
        "gname": get("actor1")[:300], "nkill": nkill, "nkillter": None, "nwound": None,
        "success": True, "suicide": sub == "suicide bomb", "claimed": None, "doubtterr": None,
        "crit1": None, "crit2": None, "crit3": None,
    }


def read_rows(table: Table) -> Iterator[Row | RowError]:
    """Checked incidents from an ACLED table, with a ``RowError`` for each bad row."""
    at = {name: i for i, name in enumerate(table.header)}
    for number, row in table.rows:
        if not any(cell.strip() for cell in row):
            continue
        try:
            yield _read(at, row)
        except (Invalid, ValueError) as exc:
            yield RowError(number, exc.message if isinstance(exc, Invalid) else str(exc)[:100])
