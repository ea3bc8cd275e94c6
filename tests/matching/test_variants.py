"""Query-side expansion: an upload matched as several standard PDQ hashes, per bank.

Banks hold the plain PDQ of a picture. A mirrored, rotated or letterboxed
upload of it matches through the variant that undoes the edit, every match
names that variant and its distance, and each bank's own setting decides which
variants may hit it.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from accord.app import create_app
from accord.config import Settings
from accord.curation import banks
from accord.errors import Invalid
from accord.matching.engine import MatchEngine
from accord.matching.service import QueryResult, match_file, partner_viewer, result_body
from accord.matching.variants import (
    ALL_VARIANTS,
    DEFAULT_VARIANTS,
    image_variants,
    parse_variants,
    variants_text,
)
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.signals.pdq import pdq_hash
from accord.store.database import Database
from tests.conftest import CliRun
from tests.matching.helpers import add

OP = Actor.operator()


def _picture(seed: int = 11, size: tuple[int, int] = (192, 256)) -> np.ndarray:
    """A smooth, asymmetric photo-like picture: low-frequency noise, upscaled."""
    rng = np.random.default_rng(seed)
    small = Image.fromarray((rng.random((12, 16, 3)) * 255).astype(np.uint8))
    return np.asarray(small.resize((size[1], size[0]), Image.Resampling.BICUBIC))


def _png(rgb: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(out, "PNG")
    return out.getvalue()


def _letterboxed(rgb: np.ndarray, bar: int = 96) -> np.ndarray:
    height, width = rgb.shape[:2]
    out = np.zeros((height + 2 * bar, width, 3), dtype=np.uint8)
    out[bar:bar + height] = rgb
    return out


def _pasted(rgb: np.ndarray) -> np.ndarray:
    """The picture in the middle of a busy frame 1/0.7 times its size (a screenshot)."""
    height, width = rgb.shape[:2]
    big_h, big_w = round(height / 0.7), round(width / 0.7)
    frame = np.asarray(Image.fromarray(_picture(99, (24, 32))).resize((big_w, big_h)))
    out = frame.copy()
    top, left = (big_h - height) // 2, (big_w - width) // 2
    out[top:top + height, left:left + width] = rgb
    return out


def _pasted_on_page(rgb: np.ndarray) -> np.ndarray:
    """A phone screenshot: a dark status bar, a white page with lines of text, the picture."""
    height, width = rgb.shape[:2]
    page = Image.new("RGB", (width + 40, height + 220), (250, 250, 250))
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, page.width, 24), fill=(20, 20, 20))
    draw.text((50, 40), "account_name  2h", fill=(30, 30, 30), font_size=18)
    page.paste(Image.fromarray(rgb), (20, 80))
    for row in range(3):
        draw.text((10, height + 100 + row * 30), "caption text goes on here and here",
                  fill=(40, 40, 40), font_size=18)
    return np.asarray(page)


@pytest.fixture
def node(db: Database) -> None:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    banks.bank_add(db, OP, "a-default", "Agency A", default_tlp="GREEN")
    banks.bank_add(db, OP, "a-plain", "Agency A", default_tlp="GREEN", match_variants="plain")
    banks.bank_add(db, OP, "a-all", "Agency A", default_tlp="GREEN", match_variants="all")


def _matches(db: Database, settings: Settings, upload: np.ndarray,
             variants: frozenset[str] | None = None) -> QueryResult:
    engine = MatchEngine.load(db, settings)
    results = match_file(engine, partner_viewer(db, None), _png(upload), settings,
                         variants=variants, name="upload.png")
    [pdq] = [r for r in results if r.signal_type == "pdq"]
    return pdq


def _by_bank(result: QueryResult) -> dict[str, tuple[str | None, int]]:
    return {m.bank: (m.variant, m.distance) for m in result.matches}


def test_the_picture_itself_matches_as_the_original_variant(db: Database, settings: Settings,
                                                            node: None) -> None:
    picture = _picture()
    value, _ = pdq_hash(picture)
    for bank in ("a-default", "a-plain", "a-all"):
        add(db, settings, bank, "pdq", value)
    found = _matches(db, settings, picture)
    assert found.value == value and found.variant is None
    assert _by_bank(found) == {b: ("original", 0) for b in ("a-default", "a-plain", "a-all")}


@pytest.mark.parametrize(("edit", "variant"), [
    (lambda a: a[:, ::-1], "flipy"),  # mirrored left-right
    (lambda a: np.rot90(a, 1), "rotate270"),  # turned a quarter: turning back matches
    (lambda a: a[::-1], "flipx"),  # upside down
])
def test_a_mirrored_or_rotated_upload_matches_through_its_dihedral_variant(
        db: Database, settings: Settings, node: None, edit: object, variant: str) -> None:
    picture = _picture()
    value, _ = pdq_hash(picture)
    add(db, settings, "a-default", "pdq", value)
    add(db, settings, "a-plain", "pdq", value)
    found = _matches(db, settings, edit(picture))  # type: ignore[operator]
    hits = _by_bank(found)
    assert set(hits) == {"a-default"}, "a plain bank takes the picture only as given"
    assert hits["a-default"][0] == variant and hits["a-default"][1] <= 31


def test_a_letterboxed_upload_matches_unletterboxed(db: Database, settings: Settings,
                                                    node: None) -> None:
    picture = _picture()
    value, _ = pdq_hash(picture)
    add(db, settings, "a-default", "pdq", value)
    boxed = _letterboxed(picture)
    assert not _matches(db, settings, boxed, variants=frozenset({"original"})).matches
    [hit] = _matches(db, settings, boxed).matches
    assert hit.variant == "unletterboxed" and hit.distance <= 31


def test_a_screenshot_of_the_picture_matches_unframed(db: Database, settings: Settings,
                                                      node: None) -> None:
    picture = _picture()
    value, _ = pdq_hash(picture)
    add(db, settings, "a-default", "pdq", value)
    add(db, settings, "a-plain", "pdq", value)
    hits = _by_bank(_matches(db, settings, _pasted_on_page(picture)))
    assert set(hits) == {"a-default"}
    assert hits["a-default"][0] == "unframed" and hits["a-default"][1] <= 31


def test_central_crops_run_only_in_banks_that_enable_them(db: Database, settings: Settings,
                                                          node: None) -> None:
    picture = _picture()
    value, _ = pdq_hash(picture)
    add(db, settings, "a-default", "pdq", value)
    add(db, settings, "a-all", "pdq", value)
    found = _matches(db, settings, _pasted(picture))
    hits = _by_bank(found)
    assert set(hits) == {"a-all"}
    assert hits["a-all"][0] in {"crop70", "crop80", "crop60"} and hits["a-all"][1] <= 31


def test_each_signal_is_reported_once_with_its_closest_variant(db: Database, settings: Settings,
                                                               node: None) -> None:
    picture = _picture()
    value, _ = pdq_hash(picture)
    add(db, settings, "a-all", "pdq", value)
    found = _matches(db, settings, picture)
    [hit] = found.matches  # crops of the picture may hit too, the original is closest
    assert (hit.variant, hit.distance) == ("original", 0)
    body = result_body(found)
    assert body["matches"][0]["variant"] == "original"  # type: ignore[index]


def test_an_override_applies_to_every_bank(db: Database, settings: Settings, node: None) -> None:
    picture = _picture()
    value, _ = pdq_hash(picture)
    add(db, settings, "a-plain", "pdq", value)
    found = _matches(db, settings, picture[:, ::-1], variants=parse_variants("dihedral"))
    assert _by_bank(found)["a-plain"][0] == "flipy"


def test_changing_a_banks_variants_reaches_a_running_engine(db: Database, settings: Settings,
                                                            node: None) -> None:
    picture = _picture()
    value, _ = pdq_hash(picture)
    add(db, settings, "a-plain", "pdq", value)
    engine = MatchEngine.load(db, settings)
    mirrored = _png(picture[:, ::-1])
    viewer = partner_viewer(db, None)
    [before] = [r for r in match_file(engine, viewer, mirrored, settings) if r.signal_type == "pdq"]
    assert not before.matches
    bank = banks.bank_set_matching(db, OP, "a-plain", match_variants="dihedral")
    assert bank.match_variants == variants_text(parse_variants("dihedral"))
    engine.refresh()
    [after] = [r for r in match_file(engine, viewer, mirrored, settings) if r.signal_type == "pdq"]
    assert [m.variant for m in after.matches] == ["flipy"]


def test_hash_queries_are_matched_as_given(db: Database, settings: Settings, node: None) -> None:
    from accord.matching.service import match_value
    picture = _picture()
    value, _ = pdq_hash(picture)
    add(db, settings, "a-all", "pdq", value)
    result = match_value(MatchEngine.load(db, settings), partner_viewer(db, None), "pdq", value)
    assert [m.variant for m in result.matches] == [None]


def test_variant_settings_are_checked_and_spelled_one_way() -> None:
    assert parse_variants("") == {"original"}
    assert parse_variants("Dihedral, crop80") == {"original", "rotate90", "rotate180",
                                                  "rotate270", "flipx", "flipy", "flipplus1",
                                                  "flipminus1", "crop80"}
    assert parse_variants("all") == set(ALL_VARIANTS)
    assert variants_text(["crop80", "unletterboxed"]) == "original,unletterboxed,crop80"
    with pytest.raises(Invalid, match="unknown match variant 'sideways'") as caught:
        parse_variants("dihedral,sideways")
    assert "unletterbox" in (caught.value.hint or "")


def test_a_bank_refuses_an_unknown_variant(db: Database, node: None) -> None:
    with pytest.raises(Invalid, match="unknown match variant"):
        banks.bank_add(db, OP, "a-bad", "Agency A", match_variants="wobbly")
    with pytest.raises(Invalid, match="unknown match variant"):
        banks.bank_set_matching(db, OP, "a-plain", match_variants="wobbly")
    again = banks.bank_set_matching(db, OP, "a-plain", match_variants="default")
    assert again.match_variants is None


def test_the_variants_of_a_picture_come_in_tie_order() -> None:
    picture = _letterboxed(_picture(), bar=40)
    names = [v.variant for v in image_variants(picture, ALL_VARIANTS)]
    # Unframing a plain letterbox finds the same bars: that hash is not repeated.
    assert names == [v for v in ALL_VARIANTS if v != "unframed"]
    framed = [v.variant for v in image_variants(_pasted_on_page(_picture()), ALL_VARIANTS)]
    assert "unframed" in framed
    assert [v.variant for v in image_variants(_picture(), DEFAULT_VARIANTS)] == [
        v for v in ALL_VARIANTS
        if v in DEFAULT_VARIANTS and v not in {"unletterboxed", "unframed"}]  # no bars


def test_the_cli_sets_a_banks_variants_and_match_prints_them(cli: CliRun, tmp_path: object
                                                            ) -> None:
    from pathlib import Path
    folder = Path(str(tmp_path))
    picture = _picture()
    value, _ = pdq_hash(picture)
    assert cli("partner", "add", "Agency A", "--kind", "agency", "--country", "FR").exit_code == 0
    assert cli("bank", "add", "a-b", "--owner", "Agency A", "--variants", "plain").exit_code == 0
    cli("signal", "add", "a-b", "pdq", value)
    upload = folder / "mirrored.png"
    upload.write_bytes(_png(picture[:, ::-1]))

    def pdq_line(*args: str) -> dict[str, object]:
        lines = [json.loads(x) for x in cli("match", *args, str(upload)).stdout.splitlines()]
        [line] = [x for x in lines if x["signal_type"] == "pdq"]
        return line

    assert pdq_line()["matches"] == []
    assert [m["variant"] for m in pdq_line("--variants", "dihedral")["matches"]] == ["flipy"]
    changed = cli("bank", "set", "a-b", "--variants", "dihedral,unletterbox")
    assert changed.exit_code == 0 and "original,rotate90" in changed.stdout
    assert [m["variant"] for m in pdq_line()["matches"]] == ["flipy"]
    listed = cli("bank", "list").stdout
    assert "unletterboxed" in listed
    bad = cli("bank", "set", "a-b", "--variants", "wobbly")
    assert bad.exit_code != 0 and "unknown match variant" in (bad.stdout + bad.stderr)


def test_the_api_takes_a_banks_variants_and_each_match_names_its_own(
        db: Database, settings: Settings) -> None:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    service.member_add(db, OP, "Agency A", "ada", "curator")
    headers = {"Authorization": f"Bearer {service.key_create(db, OP, 'ada').secret}"}
    fast = Settings(home=settings.home, database_url=settings.database_url,
                    refresh_interval_seconds=0.05)
    picture = _picture()
    value, _ = pdq_hash(picture)
    with TestClient(create_app(fast), raise_server_exceptions=False) as api:
        made = api.post("/api/v1/banks", headers=headers,
                        json={"name": "a-api", "default_tlp": "GREEN", "match_variants": "plain"})
        assert made.status_code == 201 and made.json()["match_variants"] == "original"
        assert api.post("/api/v1/banks/a-api/signals", headers=headers,
                        json={"signal_type": "pdq", "value": value}).status_code == 201
        bad = api.patch("/api/v1/banks/a-api", headers=headers, json={"match_variants": "x"})
        assert bad.status_code == 400 and "unknown match variant" in bad.text
        patched = api.patch("/api/v1/banks/a-api", headers=headers,
                            json={"match_variants": "dihedral"})
        assert patched.status_code == 200 and "flipy" in patched.json()["match_variants"]
        assert patched.json()["pdq_threshold"] is None
        mirrored = {"file": ("m.png", _png(picture[:, ::-1]), "image/png")}
        for _ in range(100):  # the engine follows the change feed every 0.05 s
            body = api.post("/api/v1/match/file", headers=headers, files=mirrored).json()
            [pdq] = [r for r in body["results"] if r["signal_type"] == "pdq"]
            if pdq["matches"]:
                break
        assert [(m["variant"], m["bank"]) for m in pdq["matches"]] == [("flipy", "a-api")]
        schema = api.get("/openapi.json").json()["components"]["schemas"]
        assert "variant" in schema["MatchItem"]["properties"]
        assert "match_variants" in schema["BankOut"]["properties"]


def test_a_contributor_unletterboxes_and_the_signal_says_so(cli: CliRun, tmp_path: object
                                                           ) -> None:
    from pathlib import Path
    folder = Path(str(tmp_path))
    picture = _picture()
    poster = folder / "poster.png"
    poster.write_bytes(_png(_letterboxed(picture)))
    assert cli("partner", "add", "Agency A", "--kind", "agency", "--country", "FR").exit_code == 0
    assert cli("bank", "add", "a-b", "--owner", "Agency A").exit_code == 0
    added = cli("signal", "add", "a-b", "pdq", "--file", str(poster), "--unletterbox")
    assert added.exit_code == 0, added
    signal = json.loads(added.stdout)
    assert signal["preprocessing"] == "unletterboxed 256x384: top 96, bottom 96, left 0, right 0"
    assert signal["value"] == pdq_hash(picture)[0]  # the picture's hash, bars off
    plain = json.loads(cli("signal", "add", "a-b", "pdq", "--file", str(poster)).stdout)
    assert plain["preprocessing"] is None and plain["value"] == pdq_hash(_letterboxed(picture))[0]
    both = cli("signal", "add", "a-b", "pdq", "0" * 64, "--file", str(poster))
    assert both.exit_code != 0 and "one of them" in (both.stdout + both.stderr)
    bad = cli("signal", "add", "a-b", "md5", "--file", str(poster), "--unletterbox")
    assert bad.exit_code != 0 and "applies to pdq" in (bad.stdout + bad.stderr)
    shown = json.loads(cli("signal", "show", str(signal["id"])).stdout)
    assert shown["preprocessing"].startswith("unletterboxed")
