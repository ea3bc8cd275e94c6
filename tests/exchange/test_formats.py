"""Other hubs' files: HMA CSV, TAT hash lists and MISP events read, write and import."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from accord.config import Settings
from accord.curation import banks
from accord.curation.formats import Row, RowError
from accord.curation.importer import import_rows
from accord.curation.signals import SignalInput, signal_list
from accord.errors import Invalid
from accord.exchange import stix
from accord.exchange.formats import (
    read_hma,
    read_misp_event,
    read_tat_json,
    write_hma,
    write_misp_event,
    write_tat_json,
)
from accord.exchange.formats.misp import MISP_TAG_LABELS
from accord.exchange.formats.tat import accord_entry_id
from accord.exchange.indicator import bundle_rows, signal_to_stix
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.store.database import Database
from accord.taxonomy import load_taxonomy

MD5 = "d41d8cd98f00b204e9800998ecf8427e"
SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def _items(rows: Iterator[Row]) -> list[SignalInput | RowError]:
    return [item for _, item in rows]


def _signals(rows: Iterator[Row]) -> list[SignalInput]:
    return [item for _, item in rows if isinstance(item, SignalInput)]


def _errors(rows: Iterator[Row]) -> list[str]:
    return [item.message for _, item in rows if isinstance(item, RowError)]


# -- HMA / python-threatexchange ------------------------------------------------------------


def test_hma_write_then_read_gives_the_same_signals() -> None:
    given = [SignalInput("pdq", PDQ), SignalInput("md5", MD5), SignalInput("url",
                                                                         "https://example.com/")]
    out = io.StringIO()
    assert write_hma(given, out) == 3
    assert out.getvalue().splitlines()[:2] == [f"pdq {PDQ}", f"video_md5 {MD5}"]
    assert _signals(read_hma(io.StringIO(out.getvalue()))) == given


def test_hma_csv_ignores_extra_columns_and_reports_unknown_types_by_line() -> None:
    text = f"bank,signal_type,signal_value\nB,pdq,{PDQ}\nB,photodna,abc\nB,url,\n\n"
    assert _items(read_hma(io.StringIO(text))) == [
        SignalInput("pdq", PDQ),
        RowError(3, "signal type 'photodna' refused: Accord has no equivalent (types read: "
                    "md5, pdq, sha256, text_tlsh, tmk, tmk_pdqf, url, video_md5, video_pdq, "
                    "video_sha256, vpdq)"),
        RowError(4, "the signal value is missing"),
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("type,value\npdq,x\n", "line 1: 'type,value' is neither a CSV header naming"),
    (f"\n{PDQ}\n", f"line 2: '{PDQ[:56]}\\.\\.\\. is neither"),
])
def test_an_hma_file_in_neither_layout_is_refused(text: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        list(read_hma(io.StringIO(text)))


def test_a_line_without_a_value_is_refused_by_line() -> None:
    assert _errors(read_hma(io.StringIO(f"pdq {PDQ}\npdq\n"))) == [
        "'pdq' is not '<signal_type> <signal>'; pytx's `dataset -S` leaves the type out when "
        "-s names one type: print without -s"]


def test_an_empty_hma_file_has_no_rows() -> None:
    assert _items(read_hma(io.StringIO("\n\n"))) == []


# -- Tech Against Terrorism hash list ---------------------------------------------------------


def test_tat_write_then_read_gives_the_same_signals() -> None:
    given = [
        SignalInput("pdq", PDQ, labels=("content:image", "ideology:violent-far-right"),
                    source_ref="tat:2819"),
        SignalInput("md5", MD5, labels=("content:video", "ideology:violent-theocratic"),
                    source_ref="tat:2820"),
        SignalInput("sha256", SHA256, source_ref="tat:3"),
    ]
    out = io.StringIO()
    assert write_tat_json([*given, SignalInput("url", "https://example.com/")], out) == 3
    # the page is ordered by (updated_on, id): TCAP's own order
    assert _signals(read_tat_json(io.StringIO(out.getvalue()))) == [given[2], *given[:2]]


def test_a_tat_source_ref_that_is_no_plain_number_gets_an_accord_id() -> None:
    out = io.StringIO()
    write_tat_json([SignalInput("md5", MD5, source_ref="tat:²")], out)
    assert [e["id"] for e in json.loads(out.getvalue())["results"]] == [
        accord_entry_id("md5", MD5)]


def test_tat_entries_map_fields_skip_deletions_and_report_what_does_not_fit() -> None:
    page = {"count": 4, "next": None, "checkpoint": "1724856487.7,10594", "results": [
        {"id": 1, "hash_digest": MD5, "algorithm": "MD5", "ideology": "islamist",
         "file_type": "mp4", "deleted": False, "updated_on": 1704901040.2},
        {"id": 2, "hash_digest": PDQ, "algorithm": "PDQ", "ideology": "far-right",
         "file_type": "png", "deleted": True, "updated_on": 1704901040.3},
        {"id": 3, "hash_digest": "abc", "algorithm": "SSDEEP", "ideology": "far-right"},
        {"id": 4, "hash_digest": SHA256, "algorithm": "SHA256", "ideology": "eco"},
        "not an object",
    ]}
    assert _items(read_tat_json(io.StringIO(json.dumps(page)))) == [
        SignalInput("md5", MD5, labels=("content:video", "ideology:violent-theocratic"),
                    source_ref="tat:1"),
        RowError(3, "algorithm 'SSDEEP' is not one Accord shares (MD5, PDQ, SHA-256, SHA256)"),
        RowError(4, "ideology 'eco' has no Accord label (known: far-right, islamist)"),
        RowError(5, "expected a JSON object per entry"),
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("{nope", "not JSON"), ('{"a": 1}', "should be a JSON array"),
])
def test_a_malformed_tat_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        list(read_tat_json(io.StringIO(text)))


# -- MISP -------------------------------------------------------------------------------------


def test_misp_write_then_read_gives_the_same_signals() -> None:
    given = [
        SignalInput("md5", MD5, labels=("behaviour:recruitment", "content:video"), tlp="AMBER",
                    rationale="seen on a forum", source_ref="misp:5e5c3c51-4c8a-4b6f-9a4e-0c1d"),
        SignalInput("url", "https://example.com/a", tlp="CLEAR",
                    source_ref="misp:77f4b2ae-2f0a-4c36-b1a9-1f4f"),
    ]
    out = io.StringIO()
    # PDQ has no MISP attribute type: it travels as an accord-perceptual-hash object.
    pdq = SignalInput("pdq", PDQ, quality=90, tlp="GREEN",
                      source_ref="misp:0b7c2d1e-3f4a-4b5c-8d6e-7f8091a2b3c4")
    assert write_misp_event([*given, pdq], out) == 3
    assert 'accord:behaviour=\\"recruitment\\"' in out.getvalue()
    assert _items(read_misp_event(io.StringIO(out.getvalue()))) == [*given, pdq]


def _event(attributes: list[dict[str, object]], tags: tuple[str, ...] = ()) -> str:
    return json.dumps({"Event": {"info": "x", "Tag": [{"name": t} for t in tags],
                                 "Attribute": attributes}})


def test_misp_tags_become_tlp_and_labels_and_unknown_tags_are_reported_once() -> None:
    text = _event([
        {"type": "sha256", "value": SHA256, "Tag": [{"name": "accord:content=\"video\""}]},
        {"type": "filename|md5", "value": f"clip.mp4|{MD5}",
         "Tag": [{"name": "tlp:amber+strict"}]},
        {"type": "ip-dst", "value": "198.51.100.1"},
        {"type": "url", "value": "https://example.com/", "deleted": True},
    ], tags=("tlp:green", "behaviour:recruitment", "misp-galaxy:threat-actor=\"X\"",
             "workflow:state=\"complete\""))
    assert _items(read_misp_event(io.StringIO(text))) == [
        RowError(1, "MISP tag 'misp-galaxy:threat-actor=\"X\"' has no Accord label: not "
                    "applied (see docs/stix-mapping.md)"),
        SignalInput("sha256", SHA256, labels=("behaviour:recruitment", "content:video"),
                    tlp="GREEN"),
        SignalInput("md5", MD5, labels=("behaviour:recruitment",), tlp="AMBER+STRICT"),
        RowError(3, "attribute type 'ip-dst' is not a signal Accord shares (md5, sha256, url)"),
    ]


def test_misp_object_attributes_and_search_answers_are_read() -> None:
    text = json.dumps({"response": [{"Event": {"Attribute": [], "Object": [
        {"name": "file", "Attribute": [{"type": "md5", "value": MD5}]}]}}]})
    assert _signals(read_misp_event(io.StringIO(text))) == [SignalInput("md5", MD5)]


def test_an_accord_machine_tag_with_a_value_outside_the_taxonomy_is_reported() -> None:
    text = _event([{"type": "md5", "value": MD5,
                    "Tag": [{"name": "accord:behaviour=\"not-a-behaviour\""}]}])
    errors = _errors(read_misp_event(io.StringIO(text)))
    assert errors == ["MISP tag 'accord:behaviour=\"not-a-behaviour\"' has no Accord label: "
                      "not applied (see docs/stix-mapping.md)"]


@pytest.mark.parametrize(("text", "message"), [
    ("{nope", "not JSON"), ('{"events": []}', "not a MISP event"),
    ('{"Event": {"Attribute": 5}}', "'Attribute' is 5, not a list"),
    ('{"Event": {"Attribute": [], "Object": 5}}', "'Object' is 5, not a list"),
    ('{"Event": {"Object": [{"Attribute": "x"}]}}', "an object's 'Attribute'"),
])
def test_a_malformed_misp_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        list(read_misp_event(io.StringIO(text)))


def test_every_mapped_misp_tag_names_a_taxonomy_label() -> None:
    taxonomy = load_taxonomy()
    for tag, label in MISP_TAG_LABELS.items():
        assert str(taxonomy.check_label(label)) == label, tag


# -- into a bank, through the importer --------------------------------------------------------


def test_rows_from_any_reader_import_through_the_bulk_importer(
        db: Database, settings: Settings) -> None:
    op = Actor.operator()
    service.partner_add(db, op, "Agency A", "agency", "FR")
    member = service.member_add(db, op, "Agency A", "alice", "curator")
    curator = Actor(member.username, member.partner_id, Role(member.role), member.id)
    banks.bank_add(db, op, "a-hashes", "Agency A", default_tlp="GREEN")
    tat = json.dumps([{"id": 9, "hash_digest": PDQ, "algorithm": "PDQ", "ideology": "far-right",
                       "file_type": "jpg", "deleted": False, "updated_on": 1.0},
                      {"id": 10, "hash_digest": "zz", "algorithm": "MD5"}])

    report = import_rows(db, curator, "a-hashes", read_tat_json(io.StringIO(tat)), settings,
                         source="tat.json")

    assert (report.rows, report.imported, report.error_count) == (2, 1, 1)
    assert report.errors[0].line == 2
    assert "'zz'" in report.errors[0].message
    stored = signal_list(db, curator, bank="a-hashes")
    assert [(s.signal_type, s.value, s.labels, s.tlp, s.source_ref) for s in stored] == [
        ("pdq", PDQ, ("content:image", "ideology:violent-far-right"), "GREEN", "tat:9")]
    bundle = stix.make_bundle([signal_to_stix(stored[0], "node-a")])
    again = import_rows(db, curator, "a-hashes", bundle_rows(bundle), settings,
                        source="bundle.json", strict=True)
    assert (again.imported, again.duplicates, again.rolled_back) == (0, 1, False)
