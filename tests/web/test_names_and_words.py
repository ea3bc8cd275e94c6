"""Names and words on the pages: stored codes read as words in the reader's language,
audit details as labelled phrases with the objects the reader may open linked and no
server paths, and another partner's bank by its name and its owner's."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import select

from accord.audit import AuditEvent
from accord.config import Settings
from accord.cooperation import requests
from accord.curation import importer, opinions, signals
from accord.curation.signals import SignalInput
from accord.exchange import peers
from accord.sharing.accounts import member_actor
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from accord.web.audit_view import EventWords
from accord.web.i18n import Translator
from accord.web.objects import Named, Objects
from tests.web.conftest import Browser

MD5 = "d41d8cd98f00b204e9800998ecf8427e"


def _member(db: Database, username: str) -> Actor:
    with db.reader() as session:
        row = session.scalars(select(m.Member).where(m.Member.username == username)).one()
        actor = member_actor(db, row.id, row.session_epoch)
    assert actor is not None
    return actor


def _shown_text(html: str) -> str:
    """What a reader reads: no tags, attributes, scripts, or codes shown as <code>."""
    html = re.sub(r"<(script|style|code|option)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _in(web: Browser, path: str, locale: str = "zh_Hans") -> str:
    return web.page_in(path, locale)


def _signal(web: Browser, settings: Settings, tlp: str = "AMBER") -> int:
    return signals.signal_add(web.db, _member(web.db, "cyd"), "a-images",
                              SignalInput("md5", MD5, tlp=tlp), settings).id


def test_stored_codes_read_as_words_on_every_page_in_chinese(
        web: Browser, settings: Settings) -> None:
    signal = _signal(web, settings)
    opinions.opinion_set(web.db, _member(web.db, "bea"), signal, "false-positive",
                         "news footage", settings)
    requests.request_send(web.db, _member(web.db, "cyd"), "Platform B",
                          "review-disputed-label", [f"signal:{signal}"], "Why?")
    peers.peer_add(web.db, _member(web.db, "ada"), "https://peer.example.org/taxii2/",
                   "signals", bank="a-images", name="far")
    web.sign_in("ada")
    # page: (words a Chinese reader reads, codes that must not be read as text)
    expected = {
        "/cooperation": (["复核有异议的标签", "未结"], ["review-disputed-label"]),
        f"/signals/{signal}": (["误报", "提交意见"], ["false-positive", "kind="]),
        "/admin": (["管理员", "策展人", "政府机构", "平台"], ["curator", "agency"]),
        "/audit": (["添加对等节点", "对等节点"], ["peer.add", "collection="]),
        "/peers": (["新"], []),
        "/disputes": (["误报"], ["false-positive"]),
    }
    for path, (words, codes) in expected.items():
        shown = _shown_text(_in(web, path))
        assert [w for w in words if w not in shown] == [], path
        assert [c for c in codes if c in shown] == [], path
    web.sign_in("bea")
    shown = _shown_text(_in(web, f"/signals/{signal}"))
    assert "另一伙伴" in shown and "another partner" not in shown  # A's curator, unnamed


def test_an_audit_detail_that_is_a_path_shows_only_its_base_name(
        web: Browser, settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "secret-server-folder"
    folder.mkdir()
    upload = folder / "hashes.csv"
    upload.write_text(f"signal_type,signal_value\nmd5,{MD5}\n")
    importer.import_signals(web.db, _member(web.db, "cyd"), "a-images", upload, settings)
    web.sign_in("ada")
    page = _in(web, "/audit", "en")
    assert "hashes.csv" in page
    assert "secret-server-folder" not in page and str(tmp_path) not in page
    chinese = _shown_text(_in(web, "/audit"))
    colon = "\uff1a"  # the full-width colon Chinese puts after a label
    assert f"来源{colon} hashes.csv" in chinese and f"添加{colon}" in chinese


def _event(object_type: str, object_id: str, **details: object) -> AuditEvent:
    return AuditEvent(1, dt.datetime(2026, 12, 3, tzinfo=dt.UTC), "cyd", "signal.add",
                      object_type, object_id, dict(details), "", "")


def test_an_audit_event_links_a_signal_for_its_owner_and_names_it_plainly_for_others(
        web: Browser, settings: Settings) -> None:
    red = _signal(web, settings, tlp="RED")
    event = _event("signal", str(red), bank="a-images", signal=red,
                   key_file="/etc/accord/peer.key")

    def view(username: str, locale: str = "en") -> tuple[Named, dict[str, Named]]:
        t = Translator(locale)
        words = EventWords(t, lambda word: word, Objects(web.db, _member(web.db, username), t))
        seen = words.view(event)
        return seen.subject, {d.label: d.value for d in seen.details}

    subject, details = view("cyd")
    assert subject == Named(f"signal {red}", f"/signals/{red}")
    assert details["bank"] == Named("a-images", "/banks/a-images")
    assert details["key file"] == Named("peer.key")
    # Platform B may not see A's RED signal: it reads as a signal that does not exist.
    subject, details = view("bea")
    assert subject == Named(f"signal {red}") and details["signal"] == Named(f"signal {red}")
    t = Translator("en")
    other = EventWords(t, str, Objects(web.db, _member(web.db, "bea"), t))
    assert other.subject(_event("signal", "999999")) == Named("signal 999999")
    # The bank is shared into B's channel: B reads its name and its owner's, unlinked.
    assert details["bank"] == Named("a-images of Agency A")
    assert other.value("bank", "no-such-bank") == Named("bank no-such-bank")
    _, chinese = view("cyd", "zh_Hans")
    assert "哈希库" in chinese and "密钥文件" in chinese


def test_another_partners_bank_reads_by_its_name_and_its_owners(
        web: Browser, settings: Settings) -> None:
    signal = _signal(web, settings)
    web.sign_in("bea")
    page = _shown_text(_in(web, f"/signals/{signal}", "en"))
    assert "a-images of Agency A" in page
    web.sign_in("cyd")
    assert '<a href="/banks/a-images">a-images</a>' in _in(web, f"/signals/{signal}", "en")
