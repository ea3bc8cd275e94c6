"""Place picklists on the incident filter and the incident report: codebook regions,
the countries and provinces of incidents the reader may see, canonical spellings, and a
place that is neither refused on the form (keeping what was typed)."""

from __future__ import annotations

import pytest

from accord.incidents import service
from accord.incidents.tables import text_table
from accord.sharing.roles import Actor
from tests.web.conftest import Browser
from tests.web.test_newer_pages import INCIDENTS

HIDDEN = ("eventid,iyear,imonth,iday,country_txt,region_txt,provstate,attacktype1_txt,"
          "targtype1_txt\n"
          "500,2015,1,1,Ruritania,Western Europe,Strelsau,Armed Assault,Business\n")


@pytest.fixture
def placed(web: Browser) -> Browser:
    op = Actor.operator()
    service.incident_import(web.db, op, text_table(INCIDENTS), service.Sharing("Agency A", "GREEN"))
    service.incident_import(web.db, op, text_table(HIDDEN), service.Sharing("Agency A", "RED"))
    web.sign_in("bea")  # Platform B: sees A's GREEN incidents, not its RED one
    return web


def test_the_filter_offers_the_places_the_reader_may_see(placed: Browser) -> None:
    page = placed.client.get("/incidents?country=Freedonia").text
    assert '<option value="Freedonia">' in page and '<option value="Sylvania">' in page
    assert '<option value="Sub-Saharan Africa">' in page  # every codebook region
    assert '<option value="North"></option>' in page and "Hills" not in page  # Freedonia's
    assert "Ruritania" not in page and "Strelsau" not in page  # A's RED incident


def test_places_are_read_in_their_canonical_spelling(placed: Browser) -> None:
    page = placed.client.get("/incidents?country=freedonia&region=sub-saharan+africa").text
    assert '<option value="Sub-Saharan Africa" selected>' in page
    assert "Sylvania" not in page.split("<tbody>")[1]  # only Freedonia's incidents listed
    refused = placed.client.get("/incidents?country=Ruritania&province=Strelsau")
    assert refused.status_code == 400
    assert "country &#39;Ruritania&#39; is not one of the list" in refused.text
    assert 'value="Ruritania"' in refused.text  # what was typed stays in the field
    report = placed.client.get("/reports/incidents?region=Atlantis&first_year=2015"
                               "&last_year=2016")
    assert report.status_code == 400 and "Atlantis" in report.text
