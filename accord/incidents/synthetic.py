"""Generated GTD-format incidents with planted patterns, for tests, benches and demos.

Accord ships no GTD rows (the GTD licence forbids redistribution); this makes
look-alike data instead, in invented places. ``Plan`` says which patterns
to plant: a level shift in the monthly rate from a known year, attacks in a
province that was quiet until a known year, and a rise in the soft-target
share from a known year. ``Plan.control()`` plants none of them.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from accord.incidents import codebook as cb
from accord.safeguards.cells import SafeDictWriter

COUNTRY = "Freedonia"
REGION = cb.REGIONS[10]
CORE_PROVINCES = ("Aldmark", "Belmora", "Corvash", "Dunmere")
NEW_PROVINCE = "Northern Marches"
HARD_TARGETS = (2, 3, 4, 21)
COLUMNS = ("eventid", "iyear", "imonth", "iday", "country", "country_txt", "region",
           "region_txt", "provstate", "city", "latitude", "longitude", "attacktype1",
           "attacktype1_txt", "targtype1", "targtype1_txt", "weaptype1", "weaptype1_txt",
           "gname", "nkill", "nkillter", "nwound", "success", "suicide", "claimed",
           "doubtterr", "crit1", "crit2", "crit3", "summary", "target1", "motive")


@dataclass(frozen=True, slots=True)
class Plan:
    """What to generate: years, base monthly rate, and the patterns to plant."""

    first_year: int = 2000
    last_year: int = 2019
    monthly_rate: float = 6.0
    shift_year: int | None = 2012
    shift_factor: float = 2.5
    new_province_year: int | None = 2016
    new_province_rate: float = 3.0
    soft_share: float = 0.25
    soft_shift_year: int | None = 2015
    soft_share_after: float = 0.55
    seed: int = 7

    @classmethod
    def control(cls, seed: int = 11) -> Plan:
        """The same data with no pattern planted."""
        return cls(shift_year=None, new_province_year=None, soft_shift_year=None, seed=seed)


def _months(plan: Plan) -> Iterator[tuple[int, int]]:
    for year in range(plan.first_year, plan.last_year + 1):
        for month in range(1, 13):
            yield year, month


def generate(plan: Plan, *, rows: int | None = None) -> Iterator[dict[str, object]]:
    """GTD-format rows (dicts keyed by GTD column). With ``rows``, the base rate is scaled
    up and exactly that many rows come out (for benches)."""
    made = _generate(plan, rows)
    return made if rows is None else itertools.islice(made, rows)


def _generate(plan: Plan, rows: int | None) -> Iterator[dict[str, object]]:
    rng = np.random.default_rng(plan.seed)
    rate = plan.monthly_rate
    if rows is not None:
        months = 12 * (plan.last_year - plan.first_year + 1)
        rate = rows / months
    soft_targets = cb.DEFAULT_SOFT_TARGETS
    serial = 0
    for year, month in _months(plan):
        level = rate * (plan.shift_factor if plan.shift_year and year >= plan.shift_year else 1)
        places = [(p, level / len(CORE_PROVINCES)) for p in CORE_PROVINCES]
        if plan.new_province_year and year >= plan.new_province_year:
            places.append((NEW_PROVINCE, plan.new_province_rate))
        share = plan.soft_share_after if plan.soft_shift_year and year >= plan.soft_shift_year \
            else plan.soft_share
        for province, mean in places:
            for _ in range(int(rng.poisson(mean))):
                serial += 1
                yield _row(rng, year, month, province, serial, share, soft_targets)


def _row(rng: np.random.Generator, year: int, month: int, province: str, serial: int,
         share: float, soft_targets: tuple[int, ...]) -> dict[str, object]:
    soft = rng.random() < share
    target = int(rng.choice(soft_targets if soft else HARD_TARGETS))
    attack = int(rng.choice((1, 2, 3, 3, 3, 6, 7)))
    weapon = 6 if attack == 3 else 5
    nkill = int(rng.poisson(4 if attack == 3 else 1.5))
    nkillter = min(nkill, int(rng.random() < 0.1))
    day = int(rng.integers(1, 29))
    return {
        "eventid": f"{year}{month:02d}{serial:07d}", "iyear": year, "imonth": month, "iday": day,
        "country": 999, "country_txt": COUNTRY, "region": 10, "region_txt": REGION,
        "provstate": province, "city": f"{province} City", "latitude": 30.0, "longitude": 40.0,
        "attacktype1": attack, "attacktype1_txt": cb.ATTACK_TYPES[attack],
        "targtype1": target, "targtype1_txt": cb.TARGET_TYPES[target],
        "weaptype1": weapon, "weaptype1_txt": cb.WEAPON_TYPES[weapon],
        "gname": "Generated Front", "nkill": nkill, "nkillter": nkillter,
        "nwound": int(rng.poisson(3)), "success": 1, "suicide": int(rng.random() < 0.05),
        "claimed": int(rng.random() < 0.4), "doubtterr": 0, "crit1": 1, "crit2": 1, "crit3": 1,
        # GTD free text that Accord must never keep: the importer drops these columns.
        "summary": "generated: a named person would be here", "target1": "Person Name",
        "motive": "generated",
    }


def write_csv(rows: Iterator[dict[str, object]], path: Path | None = None) -> str:
    """Rows as GTD CSV; written to ``path`` when given, else returned as text."""
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    text = buffer.getvalue()
    if path is not None:
        path.write_text(text, encoding="utf-8")
    return text
