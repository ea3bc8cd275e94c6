"""A bank's page: add signals by uploading a file (hashed, shown, never kept), and the
bank's import history."""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from accord.app import create_app
from accord.config import Settings
from accord.curation import signals as sig
from accord.curation.importer import import_signals
from accord.sharing.roles import Actor, Role
from accord.store.database import Database
from tests.media.media_factories import mp4_bytes
from tests.web.conftest import Browser, seed


def picture() -> bytes:
    """A small PNG with enough detail for a good PDQ hash."""
    image = Image.new("RGB", (64, 64))
    pixels = image.load()
    assert pixels is not None
    for x in range(64):
        for y in range(64):
            pixels[x, y] = (x * 4, y * 4, (x * y) % 256)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


PNG = picture()
CORRUPT = b"\x89PNG\r\n\x1a\n" + b"not really a picture"


def upload(web: Browser, data: bytes, **fields: str) -> object:
    return web.post("/banks/a-images/upload", fields, from_page="/banks/a-images",
                    files={"file": ("poster.png", data)})


def tokens(page: str) -> list[str]:
    """The hashes a page offers to add (the form's values)."""
    return [html.unescape(v) for v in re.findall(r'name="hash" value="([^"]+)"', page)]


def test_a_pictures_hashes_are_shown_and_the_ticked_ones_added(web: Browser,
                                                                db: Database) -> None:
    web.sign_in("cyd")
    answer = upload(web, PNG, labels="content:image", rationale="Sent by j.doe@example.org")
    assert answer.status_code == 200  # type: ignore[attr-defined]
    page = answer.text  # type: ignore[attr-defined]
    offered = tokens(page)
    assert sorted(t.split("|")[0] for t in offered) == ["md5", "pdq", "sha256"]
    assert hashlib.md5(PNG).hexdigest() in page
    assert page.count('class="hash copy-always"') == 3  # each with its copy button
    assert "Sent by j.doe@example.org</textarea>" in page  # typed with the file, kept

    picks = [str(n) for n, t in enumerate(offered) if t.split("|")[0] in ("md5", "pdq")]
    form = {"hash": offered, "pick": picks, "labels": "content:image", "tlp": "GREEN",
            "rationale": "Sent by j.doe@example.org", "source_ref": "case 12"}
    refused = web.post("/banks/a-images/signals", form,  # type: ignore[arg-type]
                       from_page="/banks/a-images")
    assert refused.status_code == 422  # type: ignore[attr-defined]  # personal data
    page = refused.text  # type: ignore[attr-defined]
    assert 'role="alert"' in page and "Sent by j.doe@example.org</textarea>" in page
    assert 'value="content:image"' in page and 'value="case 12"' in page
    assert tokens(page) == offered and page.count(" checked") == 2  # the same two ticked
    assert sig.signal_list(db, Actor.operator(), bank="a-images") == []

    answer = web.post("/banks/a-images/signals", {**form, "rationale": "Propaganda poster"},
                      from_page="/banks/a-images")  # type: ignore[arg-type]
    assert answer.url.path == "/signals"  # type: ignore[attr-defined]
    assert "Signals added to bank a-images" in answer.text  # type: ignore[attr-defined]
    assert hashlib.md5(PNG).hexdigest() in answer.text  # type: ignore[attr-defined]
    added = sig.signal_list(db, Actor.operator(), bank="a-images")
    assert {(s.signal_type, s.tlp, s.rationale, s.labels) for s in added} == {
        ("md5", "GREEN", "Propaganda poster", ("content:image",)),
        ("pdq", "GREEN", "Propaganda poster", ("content:image",))}


def test_a_videos_hashes_are_added_whole(web: Browser, db: Database) -> None:
    web.sign_in("cyd")
    offered = tokens(upload(web, mp4_bytes(), rationale="A recruitment video").text)  # type: ignore[attr-defined]
    kinds = [t.split("|")[0] for t in offered]
    assert sorted(kinds) == ["md5", "sha256", "tmk", "video_pdq"]
    web.post("/banks/a-images/signals", {
        "hash": offered, "pick": [str(kinds.index("tmk")), str(kinds.index("video_pdq"))],
        "rationale": "A recruitment video"}, from_page="/banks/a-images")  # type: ignore[dict-item]
    added = {s.signal_type: s.value for s in sig.signal_list(db, Actor.operator(),
                                                               bank="a-images")}
    assert added == {t.split("|")[0]: t.split("|", 2)[2] for t in offered
                     if t.split("|")[0] in ("tmk", "video_pdq")}


def test_an_unreadable_file_is_a_form_error_that_keeps_what_was_typed(web: Browser) -> None:
    web.sign_in("cyd")
    answer = upload(web, CORRUPT, labels="content:image", rationale="Seen on a forum")
    assert answer.status_code == 400  # type: ignore[attr-defined]
    page = answer.text  # type: ignore[attr-defined]
    assert "does not decode" in page and 'role="alert"' in page
    assert 'value="content:image"' in page and "Seen on a forum</textarea>" in page


def test_a_reader_sees_the_import_history_but_may_not_hash_a_file(
        web: Browser, db: Database, settings: Settings) -> None:
    curator = Actor("cyd", 1, Role.CURATOR, member_id=2)
    rows = b"signal_type,signal_value\nmd5," + b"a" * 32 + b"\npdq,not-a-hash\n"
    stream = io.BytesIO(rows)
    stream.name = "list.csv"
    import_signals(db, curator, "a-images", stream, settings)
    web.sign_in("rex")
    page = web.client.get("/banks/a-images").text
    history = page[page.index('id="import-history"'):]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", history)
    assert cells[1:8] == ["cyd", "list.csv", "2", "1", "0", "1", "done"]
    assert 'id="upload-to-add"' not in page

    answer = upload(web, PNG)
    assert answer.status_code == 403  # type: ignore[attr-defined]
    assert 'role="alert"' in answer.text  # type: ignore[attr-defined]
    assert 'name="hash"' not in answer.text  # type: ignore[attr-defined]


def test_another_partners_bank_answers_as_one_that_does_not_exist(web: Browser) -> None:
    web.sign_in("bob")
    theirs, missing = web.client.get("/banks/a-images"), web.client.get("/banks/no-such")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.text.replace("a-images", "X") == missing.text.replace("no-such", "X")
    hashed = upload(web, PNG)  # nothing is hashed into a bank that is not the partner's
    assert "There is no such bank." in hashed.text  # type: ignore[attr-defined]
    assert 'name="hash"' not in hashed.text  # type: ignore[attr-defined]


@pytest.fixture
def small(settings: Settings, db: Database) -> Iterator[Browser]:
    """The UI of a node that takes files of 1,000 bytes at most."""
    seed(db)
    tight = Settings(home=settings.home, database_url=settings.database_url,
                     max_file_bytes=1000)
    with TestClient(create_app(tight), raise_server_exceptions=False) as client:
        yield Browser(client, db)


def test_a_file_over_the_size_limit_is_a_form_error(small: Browser) -> None:
    small.sign_in("cyd")
    answer = upload(small, b"x" * 1001, rationale="Too big")
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert "over the size limit" in answer.text  # type: ignore[attr-defined]
    assert "Too big</textarea>" in answer.text  # type: ignore[attr-defined]
