"""Codebook and taxonomy words on the pages read in the page's language; what is stored,
the codes in links and forms, and the names of groups stay as published."""

from __future__ import annotations

import pytest

from accord.config import Settings
from accord.curation import signals
from accord.curation.signals import SignalInput
from accord.incidents import service
from accord.incidents.tables import text_table
from accord.sharing.roles import Actor
from accord.web import i18n as web_i18n
from tests.web.conftest import Browser

INCIDENT = ("eventid,iyear,imonth,iday,country_txt,region_txt,provstate,attacktype1_txt,"
            "targtype1_txt,weaptype1_txt,gname,nkill,nwound\n"
            "1,2015,5,5,Freedonia,Sub-Saharan Africa,Coast,Bombing/Explosion,"
            "Private Citizens & Property,Explosives,Front for the Liberation of Coast,1,0\n")
RECRUITMENT = "behaviour:recruitment"
# What each language must show for the incident's attack type, target and region, and for
# the recruitment label's title and definition (from the vocab catalogues).
EXPECTED = {
    "en": ("Bombing/Explosion", "Private Citizens &amp; Property", "Sub-Saharan Africa",
           "Recruitment", "Invites or persuades people to join"),
    "zh_Hans": ("爆炸", "平民和私人财产", "撒哈拉以南非洲", "招募",
                "邀请或劝说他人加入恐怖主义或暴力极端主义组织"),
    "ar": ("تفجير/انفجار", "المواطنون العاديون والممتلكات الخاصة", "أفريقيا جنوب الصحراء الكبرى",
           "التجنيد", "يدعو الناس أو يحثّهم على الانضمام إلى منظمة إرهابية"),
}


def _page(web: Browser, path: str, locale: str) -> str:
    if locale not in web_i18n.LOCALES:
        pytest.skip(f"the web UI does not ship {locale} yet (its messages.po comes with "
                    "the Arabic UI); the vocab catalogue does")
    return web.page_in(path, locale)


@pytest.fixture
def incident(web: Browser) -> Browser:
    service.incident_import(web.db, Actor.operator(), text_table(INCIDENT),
                            service.Sharing("Agency A", "GREEN"))
    return web


@pytest.mark.parametrize("locale", list(EXPECTED))
def test_the_incident_page_shows_the_gtd_names_in_the_readers_language(
        incident: Browser, locale: str) -> None:
    incident.sign_in("cyd")
    attack, target, region, _, _ = EXPECTED[locale]
    page = _page(incident, "/incidents/1", locale)
    assert attack in page and target in page and region in page
    listed = _page(incident, "/incidents", locale)
    assert attack in listed and target in listed
    # The group keeps the name its source publishes, in every language.
    assert "Front for the Liberation of Coast" in listed


@pytest.mark.parametrize("locale", list(EXPECTED))
def test_a_signals_label_shows_its_taxonomy_title_and_definition_in_the_readers_language(
        web: Browser, settings: Settings, locale: str) -> None:
    signal = signals.signal_add(web.db, Actor.operator(), "a-images",
                                SignalInput("md5", "d41d8cd98f00b204e9800998ecf8427e",
                                            labels=(RECRUITMENT,)), settings)
    web.sign_in("cyd")
    _, _, _, title, definition = EXPECTED[locale]
    page = _page(web, f"/signals/{signal.id}", locale)
    assert title in page and definition in page
    assert f"<code>{RECRUITMENT}</code>" in page          # the stored label, as stored


def test_the_audit_log_names_each_action_in_the_readers_language_beside_its_code(
        web: Browser) -> None:
    web.sign_in("ada")
    chinese = _page(web, "/audit", "zh_Hans")
    assert "登录 <code>session.sign_in</code>" in chinese
    english = _page(web, "/audit", "en")
    assert "<td><code>session.sign_in</code></td>" in english
