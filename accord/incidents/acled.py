"""Reading ACLED CSV exports into incident rows with GTD field names.

ACLED codes events differently from the GTD (ACLED's codebook, read for its semantics):

- ``event_type``: ACLED's six types fall in three groups: violent events (Battles,
  Explosions/Remote violence, Violence against civilians), demonstrations (Protests,
  Riots) and non-violent actions (Strategic developments). An import keeps only the
  types it is given, by default the three violent ones (``DEFAULT_EVENT_TYPES``); the
  others are counted by type in the import report, never stored as attacks.
- ``sub_event_type`` maps to a GTD attack type; civilian targeting to GTD's "Private
  Citizens & Property"; ``fatalities`` to ``nkill``.
- ``region``: ACLED's region names are not the GTD's. Each maps to the GTD region of
  its countries (``REGIONS``), with the countries whose GTD region differs from their
  ACLED region's named in ``COUNTRY_REGIONS`` (Europe splits into Western and Eastern
  Europe; ACLED puts Mexico in Central America and Sudan in Northern Africa, the GTD
  in North America and Sub-Saharan Africa). An Iraq event, ACLED's "Middle East", is
  stored in "Middle East & North Africa" and counts in that region's reports.
- ``actor1`` is the perpetrator group (``gname``) only when its ``inter1`` code says
  it is a non-state armed group: 2 rebel group, 3 political militia, 4 identity
  militia. State forces (1), rioters (5), protesters (6), civilians (7) and external
  or other forces (8) are never a perpetrator group; ``gname`` is then left empty
  (unknown). ACLED's actor order is not direction (its codebook says so), so
  ``actor2`` is not taken either. Exports without ``inter1`` fall back on ACLED's
  naming of state forces ("Military Forces of ...", "Police Forces of ...").

``notes``, ``source`` and the actor-association columns are never read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator

from accord.errors import Invalid, trimmed
from accord.incidents import codebook as cb
from accord.incidents.gtd import Row, check_date
from accord.incidents.tables import RowError, Table

REQUIRED = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "country")

EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians",
               "Protests", "Riots", "Strategic developments")
"""ACLED's event types, as its codebook names them."""
DEFAULT_EVENT_TYPES = EVENT_TYPES[:3]
"""The types an import keeps unless told otherwise: ACLED's violent events."""
_EVENT_TYPE = {name.lower(): name for name in EVENT_TYPES}

_ATTACK_BY_SUB_EVENT = {
    "armed clash": 2, "attack": 2, "air/drone strike": 3, "shelling/artillery/missile attack": 3,
    "remote explosive/landmine/ied": 3, "suicide bomb": 3, "grenade": 3,
    "abduction/forced disappearance": 6, "sexual violence": 8,
    "looting/property destruction": 7, "arrests": 9,
}
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%m/%d/%Y")

REGIONS: dict[str, int] = {
    "western africa": 11, "middle africa": 11, "eastern africa": 11, "southern africa": 11,
    "northern africa": 10, "middle east": 10, "western asia": 10,
    "south asia": 6, "southern asia": 6,
    "southeast asia": 5, "south-eastern asia": 5,
    "east asia": 4,
    "caucasus and central asia": 7, "central asia": 7,
    "europe": 8,
    "central america": 2, "caribbean": 2,
    "south america": 3,
    "north america": 1,
    "oceania": 12,
}
"""ACLED region name (lower case) to GTD region code (``codebook.REGIONS``)."""

_EASTERN_EUROPE = (
    "albania", "belarus", "bosnia and herzegovina", "bosnia-herzegovina", "bulgaria",
    "croatia", "czech republic", "czechia", "estonia", "hungary", "kosovo", "latvia",
    "lithuania", "north macedonia", "macedonia", "moldova", "montenegro", "poland",
    "romania", "russia", "serbia", "slovakia", "slovenia", "ukraine",
)
COUNTRY_REGIONS: dict[str, int] = {
    **dict.fromkeys(_EASTERN_EUROPE, 9),
    "mexico": 1,
    "sudan": 11,
    "cyprus": 8,
}
"""Countries (lower case) whose GTD region is not their ACLED region's."""

NON_STATE_ARMED = {2, 3, 4}
"""ACLED ``inter`` codes of non-state armed groups: rebel, political and identity militias."""
_INTER_BY_NAME = {
    "state forces": 1, "rebel group": 2, "rebel groups": 2, "political militia": 3,
    "political militias": 3, "identity militia": 4, "identity militias": 4, "rioters": 5,
    "protesters": 6, "civilians": 7, "external/other forces": 8,
}
_NOT_A_GROUP_PREFIXES = ("military forces of", "police forces of", "government of",
                         "rioters (", "protesters (", "civilians (")


def is_acled(header: list[str]) -> bool:
    """True when the header is an ACLED export's."""
    return "event_id_cnty" in header


def check_header(header: list[str]) -> None:
    """``Invalid`` when a column ACLED always exports is missing."""
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise Invalid("the ACLED file lacks the column(s) {missing}",
                      hint="export the file from the ACLED data export tool unchanged",
                      missing=", ".join(missing))


def event_types(names: Iterable[str] | None) -> frozenset[str]:
    """The ACLED event types named (any case), or the default ones; ``Invalid`` if unknown."""
    if names is None:
        return frozenset(DEFAULT_EVENT_TYPES)
    chosen = set()
    for name in names:
        known = _EVENT_TYPE.get(name.strip().lower())
        if known is None:
            raise Invalid("{name} is not an ACLED event type", hint="use one of {event_types}",
                          name=trimmed(name), event_types=", ".join(EVENT_TYPES))
        chosen.add(known)
    return frozenset(chosen)


def gtd_region(acled_region: str, country: str) -> str:
    """The GTD region label of an ACLED event's region and country; ``Invalid`` if none."""
    code = COUNTRY_REGIONS.get(country.strip().lower()) or REGIONS.get(
        acled_region.strip().lower())
    if code is None:
        raise Invalid("region {acled_region} has no GTD region", hint="ACLED regions: {regions}",
                      acled_region=trimmed(acled_region), regions=", ".join(sorted(REGIONS)))
    return cb.REGIONS[code]


def _inter(text: str) -> int | None:
    text = text.strip().lower()
    if not text:
        return None
    try:
        return int(float(text))
    except ValueError:
        return _INTER_BY_NAME.get(text)


def perpetrator(actor1: str, inter1: str | None) -> str:
    """``actor1`` when it is a non-state armed group, else "" (unknown): never state forces."""
    name = actor1.strip()
    if inter1 is not None and inter1.strip():
        return name if _inter(inter1) in NON_STATE_ARMED else ""
    return "" if name.lower().startswith(_NOT_A_GROUP_PREFIXES) else name


def _date(text: str) -> dt.date:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise Invalid("event_date {text} is not a date (YYYY-MM-DD)", text=trimmed(text))


def _read(at: dict[str, int], row: list[str]) -> Row:
    def get(name: str) -> str:
        i = at.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    if len(row) != len(at):
        raise Invalid("the row has {row_count} fields, the header has {at_count}",
                      row_count=len(row), at_count=len(at))
    day = _date(get("event_date"))
    check_date(day.year, day.month, day.day)
    fatalities = get("fatalities") or "0"
    try:
        nkill = int(fatalities)
    except ValueError:
        raise Invalid("fatalities {fatalities} is not a number",
                      fatalities=trimmed(fatalities)) from None
    if nkill < 0:
        raise Invalid("fatalities is negative ({nkill})", nkill=nkill)
    sub = get("sub_event_type").lower()
    attack = _ATTACK_BY_SUB_EVENT.get(sub, 9)
    civilians = "civilian" in get("civilian_targeting").lower()
    target = 14 if civilians else 20
    weapon = 6 if attack == 3 else 13
    lat, lon = get("latitude"), get("longitude")
    return {
        "eventid": ("ACLED-" + get("event_id_cnty"))[:20], "iyear": day.year,
        "imonth": day.month, "iday": day.day, "country_txt": get("country")[:100],
        "region_txt": gtd_region(get("region"), get("country")), "provstate": get("admin1")[:100],
        "city": get("location")[:100],
        "latitude": float(lat) if lat else None, "longitude": float(lon) if lon else None,
        "attacktype1_txt": cb.ATTACK_TYPES[attack], "targtype1": target,
        "targtype1_txt": cb.TARGET_TYPES[target], "weaptype1_txt": cb.WEAPON_TYPES[weapon],
        "gname": perpetrator(get("actor1"), get("inter1") if "inter1" in at else None)[:300],
        "nkill": nkill, "nkillter": None, "nwound": None,
        "success": True, "suicide": sub == "suicide bomb", "claimed": None, "doubtterr": None,
        "crit1": None, "crit2": None, "crit3": None,
    }


def read_rows(table: Table, kept: frozenset[str] = frozenset(DEFAULT_EVENT_TYPES),
              excluded: Counter[str] | None = None) -> Iterator[Row | RowError]:
    """Checked incidents from an ACLED table, with a ``RowError`` for each bad row.

    Rows whose ``event_type`` is not in ``kept`` are not yielded; they are counted
    by type in ``excluded``. An ``event_type`` ACLED does not have is a bad row.
    """
    at = {name: i for i, name in enumerate(table.header)}
    where = at["event_type"]
    for number, row in table.rows:
        if not any(cell.strip() for cell in row):
            continue
        raw = row[where].strip() if where < len(row) else ""
        kind = _EVENT_TYPE.get(raw.lower())
        if kind is None:
            yield RowError(number, f"event_type {trimmed(raw)} is not an ACLED event type")
            continue
        if kind not in kept:
            if excluded is not None:
                excluded[kind] += 1
            continue
        try:
            yield _read(at, row)
        except (Invalid, ValueError) as exc:
            yield (RowError(number, exc.message, error=exc) if isinstance(exc, Invalid)
                   else RowError(number, str(exc)[:100]))
