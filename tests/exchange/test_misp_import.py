"""Importing MISP events as partners' MISP instances and public feeds write them: a CIRCL
OSINT event (URLs without a scheme, attributes inside objects), scheme-less URLs read as
http:// and canonicalised, or refused by attribute with the reason."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.formats import RowError
from accord.curation.signals import SignalInput
from accord.errors import Invalid
from accord.exchange import files
from accord.exchange.formats import read_misp_event
from accord.exchange.formats.misp import misp_url
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.tools.venvs import tool_venv

OP = Actor.operator()
CIRCL_EVENT = Path(__file__).resolve().parent / "data" / "circl_osint_event.json"
CIRCL_URLS = {
    "http://media.example.com/uploads/2019/01/clip-01.mp4",
    "https://example.org/news/item.php?id=4411",
    "http://example.com/wp-content/uploads/2019/01/issue-7.pdf",
    "http://cdn.example.net/v/2019/clip-02.mp4",
    "http://example.org:8080/gate.php?id=17",
    "http://www.example.com/Files/Issue%208.pdf",
    "http://share.example.net/s/9QzT7",
    "http://files.example.org/download/archive-2019-01.zip",
    "http://xn--bcher-kva.example/path/video.mp4",
    "http://static.example.com/img/poster-3.jpg",
    "http://example.com/forum/viewtopic.php?f=3&t=201",
    "http://example.net/panel/login.php",
    "https://video.example.org/watch?v=Zx81",
}
CIRCL_HASHES = {"b1946ac92492d2347c6235b4d2611184",
                "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
                "7d793037a0760186574b0282f2f435e7",
                "c3499c2729730a7f807efb8676a92dcb6f8a3f8f3e1e8e1d4b8e3b6d5e4f3a2b"}


def test_the_circl_event_is_a_misp_event_pymisp_loads() -> None:
    code = ("import json, sys\nfrom pymisp import MISPEvent\ne = MISPEvent()\n"
            "e.load_file(sys.argv[1])\nprint(json.dumps([e.Orgc.name, "
            "sum(a.type == 'url' for a in e.attributes) + sum(a.type == 'url' "
            "for o in e.objects for a in o.attributes), len(e.objects)]))")
    result = tool_venv("pymisp").python_code(code, str(CIRCL_EVENT))
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout) == ["CIRCL", 14, 4]


def test_a_circl_osint_event_gives_every_url_canonical_and_refuses_one_by_attribute() -> None:
    rows = [item for _, item in read_misp_event(io.StringIO(CIRCL_EVENT.read_text()))]
    found = [s for s in rows if isinstance(s, SignalInput)]
    assert {s.value for s in found if s.signal_type == "url"} == CIRCL_URLS
    assert {s.value for s in found if s.signal_type != "url"} == CIRCL_HASHES
    assert {s.tlp for s in found} == {"CLEAR"}  # the event's tlp:white
    errors = [r.message for r in rows if isinstance(r, RowError)]
    assert ("attribute '5c3f0018-1a2b-4c3d-9e8f-4a1b950d210f': URL "
            "'mirror.example[.]org/clip-04.mp4' is defanged (hxxp, [.]): refang it to "
            "import it") in errors
    assert sorted(e for e in errors if e.startswith("MISP tag")) == [
        "MISP tag 'circl:incident-classification=\"malware\"' has no Accord label: not "
        "applied (see docs/stix-mapping.md)",
        "MISP tag 'osint:source-type=\"blog-post\"' has no Accord label: not applied "
        "(see docs/stix-mapping.md)",
        "MISP tag 'type:OSINT' has no Accord label: not applied (see docs/stix-mapping.md)"]


def test_importing_the_circl_event_stores_13_of_its_14_urls(
        db: Database, settings: Settings) -> None:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    banks.bank_add(db, OP, "osint", "Agency A", default_tlp="GREEN")
    with CIRCL_EVENT.open("rb") as source:
        report = files.import_file(db, OP, "osint", source, "misp", settings,
                                   name=CIRCL_EVENT.name)
    stored = signals.signal_list(db, OP, bank="osint")
    assert {s.value for s in stored if s.signal_type == "url"} == CIRCL_URLS
    assert report.imported == len(CIRCL_URLS) + len(CIRCL_HASHES)


@pytest.mark.parametrize(("given", "canonical"), [
    ("example.com/path", "http://example.com/path"),
    ("Example.COM", "http://example.com/"),
    ("//example.com/a/./b/../c", "http://example.com/a/c"),
    ("user@example.com:8443/x", "http://user@example.com:8443/x"),
    ("192.0.2.7/gate.php", "http://192.0.2.7/gate.php"),
    ("[2001:db8::1]:8080/x", "http://[2001:db8::1]:8080/x"),
    ("HTTPS://example.com:443/x", "https://example.com/x"),
])
def test_a_url_without_a_scheme_is_read_as_http_and_canonicalised(given: str,
                                                                  canonical: str) -> None:
    assert misp_url(given) == canonical


@pytest.mark.parametrize(("given", "reason"), [
    ("hxxp://example.com/x", "defanged"),
    ("example[.]com/x", "defanged"),
    ("/wp-admin/admin-ajax.php", "no scheme and no host name"),
    ("localhost/x", "no scheme and no host name"),
    ("ftp://example.com/file", "expected an absolute http:// or https:// URL"),
    ("mailto:someone@example.com", "not a web address"),
])
def test_a_url_that_cannot_be_made_absolute_is_refused_with_the_reason(given: str,
                                                                       reason: str) -> None:
    with pytest.raises(Invalid, match=reason):
        misp_url(given)
