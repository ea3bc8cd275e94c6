"""Pattern analytics over incidents: escalation, spill-over, target shift, lethality.

Every function takes a pandas DataFrame of incidents (GTD column names) and a
period, and returns plain dataclasses that reports, the CLI and the API show
as they are. Tests are two-sided; a pattern is reported as found only when
its test clears ``ALPHA``, so a control set without planted patterns shows
none (tests/incidents checks both).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

ALPHA = 0.001
MIN_RATIO = 1.25  # a change of rate smaller than 25% is not called an escalation
MIN_SEGMENT_MONTHS = 12
CORE_COVERAGE = 0.9
COLUMNS = ("iyear", "imonth", "country_txt", "region_txt", "provstate", "city", "targtype1",
           "attacktype1_txt", "nkill", "nkillter", "nwound", "owner_partner_id")


@dataclass(frozen=True, slots=True)
class Period:
    """Years, inclusive."""

    first_year: int
    last_year: int

    @property
    def years(self) -> int:
        """How many years the period spans."""
        return self.last_year - self.first_year + 1


@dataclass(frozen=True, slots=True)
class Totals:
    """Incidents, victims killed (nkill - nkillter) and wounded."""

    incidents: int
    killed: int
    wounded: int


@dataclass(frozen=True, slots=True)
class RateTest:
    """A rate-ratio test between two spans: counts, months, ratio (after / before), p."""

    before: int
    before_months: int
    after: int
    after_months: int
    ratio: float
    p_value: float

    @property
    def significant(self) -> bool:
        """The test clears ALPHA and the change is at least MIN_RATIO either way."""
        big = self.ratio >= MIN_RATIO or self.ratio <= 1 / MIN_RATIO
        return self.p_value < ALPHA and big


@dataclass(frozen=True, slots=True)
class ChangePoint:
    """A month where the monthly incident rate changes, with its test."""

    year: int
    month: int
    test: RateTest


@dataclass(frozen=True, slots=True)
class Escalation:
    """Monthly counts, change points (ruptures, then tested), period vs the one before."""

    months: list[str]
    counts: list[int]
    change_points: list[ChangePoint]
    period_vs_previous: RateTest | None

    @property
    def found(self) -> bool:
        """True when a significant change point or period change was found."""
        prior = self.period_vs_previous
        return bool(self.change_points) or (prior is not None and prior.significant)


@dataclass(frozen=True, slots=True)
class Spillover:
    """Places with their first incident in the period; share outside the historical core."""

    place_level: str
    new_places: list[str]
    core_places: list[str]
    share_outside_core_before: float | None
    share_outside_core_period: float | None
    p_value: float | None
    first_seen: dict[int, int] = field(default_factory=dict)
    """How many places had their first incident in each year (the spill-over chart)."""

    @property
    def found(self) -> bool:
        """New places, or a significant rise of the share outside the core."""
        rise = (self.p_value is not None and self.p_value < ALPHA
                and (self.share_outside_core_period or 0) > (self.share_outside_core_before or 0))
        return bool(self.new_places) or rise


@dataclass(frozen=True, slots=True)
class TargetShift:
    """Soft-target share per year, before vs during the period, and its test."""

    soft_codes: tuple[int, ...]
    years: list[int]
    shares: list[float | None]
    share_before: float | None
    share_period: float | None
    p_value: float | None

    @property
    def found(self) -> bool:
        """The share changed and the change clears ALPHA."""
        return self.p_value is not None and self.p_value < ALPHA


@dataclass(frozen=True, slots=True)
class Lethality:
    """Incidents, killed and wounded for one attack type in the period."""

    attack_type: str
    incidents: int
    killed: int
    wounded: int

    @property
    def killed_per_incident(self) -> float:
        """Victims killed per incident."""
        return self.killed / self.incidents if self.incidents else 0.0


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything ``accord incidents report`` shows for one scope and period."""

    scope: str
    period: Period
    totals: Totals
    escalation: Escalation
    spillover: Spillover
    target_shift: TargetShift
    lethality: list[Lethality]
    notes: list[str] = field(default_factory=list)
    unknown_month: int = 0  # incidents left out of the monthly series (the note's figure)
    # Filled by accord.incidents.report: (partner name, Completeness) per contributor.
    sourcing: list[tuple[str, Any]] = field(default_factory=list)
    # Filled by accord.incidents.report: statements.IncidentFacts per incident with any.
    statements: list[Any] = field(default_factory=list)


def frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    """A DataFrame of incident rows selected in ``COLUMNS`` order."""
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for name in ("nkill", "nkillter", "nwound"):
        df[name] = pd.to_numeric(df[name]).fillna(0).astype("int64")
    return df


def totals(df: pd.DataFrame) -> Totals:
    """Incidents, victims killed (nkill - nkillter) and wounded."""
    return Totals(len(df), int((df["nkill"] - df["nkillter"]).clip(lower=0).sum()),
                  int(df["nwound"].sum()))


def rate_test(before: int, before_months: int, after: int, after_months: int) -> RateTest:
    """statsmodels' two-sample Poisson rate test (ratio after / before)."""
    from statsmodels.stats.rates import test_poisson_2indep

    if before_months <= 0 or after_months <= 0:
        return RateTest(before, before_months, after, after_months, math.nan, 1.0)
    if before == 0 and after == 0:
        return RateTest(before, before_months, after, after_months, 1.0, 1.0)
    result = test_poisson_2indep(after, after_months, before, before_months)
    ratio = (after / after_months) / (before / before_months) if before else math.inf
    return RateTest(before, before_months, after, after_months, ratio, float(result.pvalue))


def monthly_counts(df: pd.DataFrame, first_year: int, last_year: int) -> pd.Series:
    """Incidents per month from January of ``first_year`` to December of ``last_year``
    (incidents whose month is unknown are left out)."""
    known = df[df["imonth"] > 0]
    index = pd.period_range(f"{first_year}-01", f"{last_year}-12", freq="M")
    keys = pd.PeriodIndex.from_fields(year=known["iyear"], month=known["imonth"], freq="M")
    return pd.Series(1, index=keys).groupby(level=0).sum().reindex(index, fill_value=0)


def _segments(signal: np.ndarray) -> list[int]:
    """Change-point candidates from ruptures' binary segmentation (l2 cost), penalised by
    a robust noise estimate so a flat Poisson series yields none."""
    import ruptures

    if len(signal) < 2 * MIN_SEGMENT_MONTHS or float(np.ptp(signal)) == 0:
        return []
    diffs = np.diff(signal)
    sigma = float(np.median(np.abs(diffs - np.median(diffs)))) / 0.6745 / math.sqrt(2)
    sigma = max(sigma, math.sqrt(max(float(np.median(signal)), 1.0)))
    penalty = 3 * sigma**2 * math.log(len(signal))
    # Candidates on a coarser grid for long series keep a 50-year span interactive.
    jump = max(1, len(signal) // 240)
    algo = ruptures.Binseg(model="l2", min_size=MIN_SEGMENT_MONTHS, jump=jump).fit(signal)
    return [b for b in algo.predict(pen=penalty) if b < len(signal)]


def escalation(df: pd.DataFrame, period: Period, first_year: int) -> Escalation:
    """Change points over the whole series up to the period's end, each confirmed by a
    rate-ratio test between its neighbouring segments; and the period against the span
    of the same length before it."""
    series = monthly_counts(df, first_year, period.last_year)
    signal = series.to_numpy(dtype=float)
    breaks = _segments(signal)
    bounds = [0, *breaks, len(signal)]
    found = []
    for i, cut in enumerate(breaks, start=1):
        left, right = signal[bounds[i - 1]:cut], signal[cut:bounds[i + 1]]
        test = rate_test(int(left.sum()), len(left), int(right.sum()), len(right))
        if test.significant:
            when = series.index[cut]
            found.append(ChangePoint(when.year, when.month, test))
    in_period = df["iyear"].between(period.first_year, period.last_year)
    before = df["iyear"].between(period.first_year - period.years, period.first_year - 1)
    prior = None
    if period.first_year - period.years >= first_year:
        prior = rate_test(int(before.sum()), 12 * period.years, int(in_period.sum()),
                          12 * period.years)
    return Escalation([str(p) for p in series.index], [int(c) for c in series], found, prior)


def _two_proportions(hits: tuple[int, int], totals_: tuple[int, int]) -> float | None:
    from statsmodels.stats.proportion import proportions_ztest

    if min(totals_) == 0 or sum(hits) == 0 or sum(hits) == sum(totals_):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _, p = proportions_ztest(list(hits), list(totals_))
    return None if math.isnan(p) else float(p)


def place_level(scope_province: str | None, scope_country: str | None) -> str:
    """The place column one level below the scope: city, province or country."""
    if scope_province:
        return "city"
    return "provstate" if scope_country else "country_txt"


def spillover(df: pd.DataFrame, period: Period, level: str) -> Spillover:
    """Places whose first incident falls in the period, and the share of period incidents
    outside the historical core (the fewest places holding 90% of earlier incidents)."""
    placed = df[df[level].astype(str).str.len() > 0]
    history = placed[placed["iyear"] < period.first_year]
    current = placed[placed["iyear"].between(period.first_year, period.last_year)]
    if history.empty:
        return Spillover(level, [], [], None, None, None)
    first_seen = placed.groupby(level)["iyear"].min()
    new = sorted(p for p, year in first_seen.items()
                 if period.first_year <= year <= period.last_year)
    counts = history[level].value_counts()
    cumulative = counts.cumsum() / counts.sum()
    core = list(counts.index[: int((cumulative < CORE_COVERAGE).sum()) + 1])
    out_before = int((~history[level].isin(core)).sum())
    out_now = int((~current[level].isin(core)).sum())
    share_before = out_before / len(history)
    share_now = out_now / len(current) if len(current) else None
    p = _two_proportions((out_now, out_before), (len(current), len(history)))
    firsts = {int(y): int(n) for y, n in first_seen.value_counts().sort_index().items()}
    return Spillover(level, new, sorted(str(c) for c in core), share_before, share_now, p,
                     firsts)


def target_shift(df: pd.DataFrame, period: Period, soft_codes: tuple[int, ...],
                 first_year: int) -> TargetShift:
    """Soft-target share per year, and a two-proportion z-test of the period's share
    against the share before it."""
    known = df[df["targtype1"].notna() & (df["targtype1"] != 20)]
    soft = known["targtype1"].isin(soft_codes)
    years = list(range(first_year, period.last_year + 1))
    by_year = soft.groupby(known["iyear"]).agg(["sum", "count"])
    shares: list[float | None] = [
        float(by_year.loc[y, "sum"] / by_year.loc[y, "count"]) if y in by_year.index else None
        for y in years]
    during = known["iyear"].between(period.first_year, period.last_year)
    before = known["iyear"] < period.first_year
    hits = (int(soft[during].sum()), int(soft[before].sum()))
    sizes = (int(during.sum()), int(before.sum()))
    share_period = hits[0] / sizes[0] if sizes[0] else None
    share_before = hits[1] / sizes[1] if sizes[1] else None
    return TargetShift(tuple(soft_codes), years, shares, share_before, share_period,
                       _two_proportions(hits, sizes))


def lethality(df: pd.DataFrame) -> list[Lethality]:
    """Per attack type: incidents, victims killed and wounded, most lethal first."""
    killed = (df["nkill"] - df["nkillter"]).clip(lower=0)
    grouped = pd.DataFrame({"attack": df["attacktype1_txt"], "killed": killed,
                            "wounded": df["nwound"]}).groupby("attack")
    table = grouped.agg(incidents=("killed", "size"), killed=("killed", "sum"),
                        wounded=("wounded", "sum"))
    rows = [Lethality(str(a), int(r.incidents), int(r.killed), int(r.wounded))
            for a, r in table.iterrows()]
    return sorted(rows, key=lambda r: (-r.killed_per_incident, r.attack_type))


def analyse(df: pd.DataFrame, period: Period, *, scope: str, level: str,
            soft_codes: tuple[int, ...]) -> Analysis:
    """All analytics for the incidents in ``df`` (which holds the history too)."""
    df = df[df["iyear"] <= period.last_year]
    notes = []
    first_year = int(df["iyear"].min()) if len(df) else period.first_year
    first_year = min(first_year, period.first_year)
    unknown_month = int((df["imonth"] == 0).sum())
    if unknown_month:
        notes.append(f"{unknown_month} incidents with an unknown month are left out of the "
                     "monthly series")
    current = df[df["iyear"].between(period.first_year, period.last_year)]
    return Analysis(scope, period, totals(current), escalation(df, period, first_year),
                    spillover(df, period, level),
                    target_shift(df, period, soft_codes, first_year), lethality(current), notes,
                    unknown_month)
