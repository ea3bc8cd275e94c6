"""The analytics find the patterns planted in generated GTD-format data (a level shift
in 2012, a new province from 2016, a soft-target share rise from 2015), and find
nothing in a control set generated without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.incidents import analytics as an
from accord.incidents import codebook, service, synthetic
from accord.incidents.report import incident_analysis
from accord.incidents.tables import open_table, text_table
from accord.reports.transparency import set_report_opt_in
from accord.sharing.roles import Actor
from accord.store.database import Database

PERIOD = an.Period(2015, 2019)
SOFT = codebook.DEFAULT_SOFT_TARGETS


def _analyse(db: Database, csv: Path, actor: Actor | None = None) -> an.Analysis:
    service.incident_import(db, Actor.operator(), open_table(csv),
                            service.Sharing("Agency A", "GREEN"))
    return incident_analysis(db, actor or Actor.operator(),
                             service.Scope(country=synthetic.COUNTRY), PERIOD, SOFT)


@pytest.fixture
def planted(partners: Database, planted_csv: Path) -> an.Analysis:
    return _analyse(partners, planted_csv)


@pytest.fixture
def control(partners: Database, control_csv: Path) -> an.Analysis:
    return _analyse(partners, control_csv)


def test_the_level_shift_is_found_in_the_year_it_was_planted(planted: an.Analysis) -> None:
    first = planted.escalation.change_points[0]
    assert (first.year, first.month) == (2012, 1)
    assert first.test.ratio > 2 and first.test.significant
    assert planted.escalation.found


def test_the_new_province_is_found_as_spill_over(planted: an.Analysis) -> None:
    assert planted.spillover.new_places == [synthetic.NEW_PROVINCE]
    assert planted.spillover.core_places == sorted(synthetic.CORE_PROVINCES)
    assert (planted.spillover.share_outside_core_period or 0) > 0.1
    assert planted.spillover.found


def test_the_rise_in_soft_target_share_is_found(planted: an.Analysis) -> None:
    shift = planted.target_shift
    assert shift.share_before is not None and shift.share_period is not None
    assert shift.share_period - shift.share_before > 0.2
    assert shift.found


def test_the_control_set_shows_no_pattern(control: an.Analysis) -> None:
    assert control.escalation.change_points == []
    assert not control.escalation.found
    assert control.spillover.new_places == [] and not control.spillover.found
    assert not control.target_shift.found


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_other_control_seeds_show_no_pattern_either(seed: int) -> None:
    rows = list(synthetic.generate(synthetic.Plan.control(seed=seed)))
    df = an.frame([tuple(r.get(c, 1) for c in an.COLUMNS) for r in rows])
    result = an.analyse(df, PERIOD, scope="x", level="provstate", soft_codes=SOFT)
    assert not (result.escalation.found or result.spillover.found
                or result.target_shift.found)


def test_totals_count_victims_without_perpetrators(planted: an.Analysis,
                                                   planted_csv: Path) -> None:
    rows = [r for r in synthetic.generate(synthetic.Plan()) if 2015 <= int(r["iyear"]) <= 2019]
    killed = sum(int(r["nkill"]) - int(r["nkillter"]) for r in rows)
    assert (planted.totals.incidents, planted.totals.killed) == (len(rows), killed)
    assert sum(r.incidents for r in planted.lethality) == len(rows)
    assert planted.lethality[0].attack_type == "Bombing/Explosion"  # generated as deadliest


def test_analytics_only_count_incidents_the_partner_may_see(partners: Database,
                                                            planted_csv: Path) -> None:
    service.incident_import(partners, Actor.operator(), open_table(planted_csv),
                            service.Sharing("Agency A", "AMBER", "ab"))
    scope = service.Scope(country=synthetic.COUNTRY)
    seen = {name: incident_analysis(partners, Actor(name, partner_id=pid), scope, PERIOD, SOFT)
            for name, pid in (("ada", 1), ("bea", 2), ("cam", 3))}
    assert seen["ada"].totals == seen["bea"].totals and seen["ada"].totals.incidents > 0
    assert seen["cam"].totals.incidents == 0 and not seen["cam"].escalation.found


def test_the_report_shows_each_contributors_sourcing_facts(partners: Database) -> None:
    op = Actor.operator()
    text = ("eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt,doubtterr\n"
            "{p}1,2016,1,1,Freedonia,Armed Assault,Business,0\n"
            "{p}2,2016,2,1,Freedonia,Armed Assault,Business,\n")
    for partner, prefix in (("Platform B", "B"), ("Agency A", "A")):
        service.incident_import(partners, op, text_table(text.format(p=prefix)),
                                service.Sharing(partner, "GREEN"))
    service.source_add(partners, op, 1, "state-media")
    service.source_add(partners, op, 1, "independent-media")
    for partner in ("Platform B", "Agency A"):
        set_report_opt_in(partners, op, partner, True)
    result = incident_analysis(partners, op, service.Scope(country=synthetic.COUNTRY),
                               PERIOD, SOFT)
    facts = {name: c for name, c in result.sourcing}
    assert list(facts) == ["Agency A", "Platform B"]  # alphabetical, not ranked
    assert (facts["Platform B"].incidents, facts["Platform B"].with_two_sources) == (2, 1)
    assert facts["Agency A"].with_source == 0 and facts["Agency A"].with_doubt_recorded == 1


def test_partners_that_did_not_opt_in_are_not_named_in_the_report(partners: Database) -> None:
    op = Actor.operator()
    text = ("eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt\n"
            "{p}1,2016,1,1,Freedonia,Armed Assault,Business\n")
    for partner, prefix in (("Platform B", "B"), ("Agency A", "A"), ("NGO C", "C")):
        service.incident_import(partners, op, text_table(text.format(p=prefix)),
                                service.Sharing(partner, "GREEN"))
    set_report_opt_in(partners, op, "Platform B", True)
    result = incident_analysis(partners, Actor("cam", partner_id=3),
                               service.Scope(country=synthetic.COUNTRY), PERIOD, SOFT)
    names = [name for name, _ in result.sourcing]
    assert "Platform B" in names
    assert not any("Agency A" in n or "NGO C" in n for n in names)
    folded = dict(result.sourcing)[names[-1]]
    assert names[-1].endswith("(2)") and folded.incidents == 2
