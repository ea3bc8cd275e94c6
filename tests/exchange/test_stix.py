"""STIX 2.1 mapping: what Accord emits validates, reads back, and keeps TLP 2.0 exact."""

from __future__ import annotations

import datetime as dt
import json
import socket
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import stix2

from accord.curation.formats import RowError
from accord.curation.signals import SignalInput
from accord.errors import Invalid
from accord.exchange import stix
from accord.exchange.indicator import (
    bundle_rows,
    indicator_to_signal,
    quote_pattern_value,
    signal_pattern,
    signal_to_stix,
)
from accord.exchange.stix_common import (
    ACCORD_IDENTITY_ID,
    ACCORD_NAMESPACE,
    EXTENSION_ID,
    TLP1_MARKING_IDS,
    TLP_MARKING_IDS,
    extension_definition,
    indicator_id,
    stix_id,
    tlp_marking,
)
from accord.sharing.tlp import Tlp
from accord.signals import get_signal_type, signal_type_names
from accord.store import records as r

NODE = "node-a"
T0 = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
T1 = dt.datetime(2026, 3, 2, 8, 30, 0, 123000, tzinfo=dt.UTC)


def _signal(signal_type: str = "pdq", value: str | None = None, *, sid: int = 7,
            tlp: str = "AMBER", status: str = "active", labels: tuple[str, ...] = (),
            quality: int | None = None, updated: dt.datetime = T0, owner: int = 1,
            channel: int | None = 3, rationale: str = "", source_ref: str = "") -> r.Signal:
    if value is None:
        value = get_signal_type(signal_type).examples()[0]
    return r.Signal(sid, 1, owner, signal_type, value, quality, tlp, channel, "alice", rationale,
                    source_ref, status, labels, T0, updated)


def _errors(objects: list[dict[str, Any]]) -> list[str]:
    return stix.validate_bundle(stix.make_bundle(objects))


# -- fixed identifiers ------------------------------------------------------------------------


def test_tlp_2_marking_ids_are_the_published_ones() -> None:
    assert {t.value: i for t, i in TLP_MARKING_IDS.items()} == {
        "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    }


def test_tlp_1_ids_read_from_third_parties_are_the_stix2_librarys() -> None:
    assert {
        stix2.TLP_WHITE.id: Tlp.CLEAR, stix2.TLP_GREEN.id: Tlp.GREEN,
        stix2.TLP_AMBER.id: Tlp.AMBER, stix2.TLP_RED.id: Tlp.RED,
    } == TLP1_MARKING_IDS
    assert not set(TLP1_MARKING_IDS) & set(TLP_MARKING_IDS.values())


@pytest.mark.parametrize("tlp", list(Tlp))
def test_tlp_marking_definition_validates_and_names_its_level(tlp: Tlp) -> None:
    marking = tlp_marking(tlp)
    assert marking["name"] == f"TLP:{tlp.value}"
    assert stix.validate_bundle(stix.make_bundle([marking])) == []


def test_namespace_and_extension_ids_are_the_documented_uuid5s() -> None:
    assert uuid.uuid5(uuid.NAMESPACE_URL, "https://accord.invalid/stix") == ACCORD_NAMESPACE
    assert "extension-definition--" + str(
        uuid.uuid5(ACCORD_NAMESPACE, "extension-definition:accord-signal")) == EXTENSION_ID
    assert "identity--" + str(
        uuid.uuid5(ACCORD_NAMESPACE, "identity:accord-project")) == ACCORD_IDENTITY_ID
    assert extension_definition()["extension_types"] == ["property-extension"]


def test_every_extension_block_accord_writes_follows_the_published_schema() -> None:
    schema = json.loads((Path(stix.__file__).parent / "accord-extension-schema.json").read_text())
    entity = r.Entity(3, "qde-115", "Front", (r.AliasRecord("F", "Latn"),),
                      (r.DesignationRecord("UN", "QDe.115", None, None),))
    objects = [stix.partner_to_stix(r.Partner(1, "A", "ngo", "FR", T0), NODE),
               stix.entity_to_stix(entity, NODE, created=T0),
               *(signal_to_stix(_signal(t), NODE) for t in signal_type_names())]
    for obj in objects:
        jsonschema.validate(obj["extensions"][EXTENSION_ID], schema)


def test_ids_are_stable_per_node_and_record() -> None:
    assert stix_id("indicator", NODE, 7) == stix_id("indicator", NODE, 7)
    assert stix_id("indicator", NODE, 7) != stix_id("indicator", "node-b", 7)
    assert stix_id("indicator", NODE, 7) != stix_id("indicator", NODE, 8)
    assert signal_to_stix(_signal(), NODE)["id"] == indicator_id(NODE, 7)


# -- Accord to STIX -------------------------------------------------------------------------


@pytest.mark.parametrize("signal_type", signal_type_names())
def test_every_signal_type_maps_to_an_indicator_that_validates(signal_type: str) -> None:
    indicators = [signal_to_stix(_signal(signal_type, value, sid=i), NODE)
                  for i, value in enumerate(get_signal_type(signal_type).examples())]
    assert _errors(indicators) == []
    assert all(EXTENSION_ID in i["extensions"] for i in indicators)


@pytest.mark.parametrize(("signal_type", "value", "pattern"), [
    ("md5", "d41d8cd98f00b204e9800998ecf8427e",
     "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"),
    ("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "[file:hashes.'SHA-256' = "
     "'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']"),
    ("url", "https://example.com/it's", r"[url:value = 'https://example.com/it\'s']"),
])
def test_exact_signals_are_stix_patterns(signal_type: str, value: str, pattern: str) -> None:
    indicator = signal_to_stix(_signal(signal_type, value), NODE)
    assert (indicator["pattern_type"], indicator["pattern"]) == ("stix", pattern)


def test_pattern_literals_escape_backslashes_and_quotes() -> None:
    assert quote_pattern_value("a\\b'c") == r"'a\\b\'c'"
    _, pattern = signal_pattern("url", "https://x.example/a\\'b")
    assert stix2.pattern_visitor.create_pattern_object(pattern, version="2.1") is not None


@pytest.mark.parametrize("signal_type", ["pdq", "video_pdq", "text_tlsh"])
def test_perceptual_hashes_are_stix_patterns_on_accords_observable_and_the_extension(
        signal_type: str) -> None:
    value = get_signal_type(signal_type).examples()[0]
    indicator = signal_to_stix(_signal(signal_type, value, quality=90
                                            if signal_type == "pdq" else None), NODE)
    assert (indicator["pattern_type"], indicator["pattern_version"]) == ("stix", "2.1")
    assert indicator["pattern"] == (f"[x-accord-signal:signal_type = '{signal_type}' AND "
                                    f"x-accord-signal:value = {quote_pattern_value(value)}]")
    assert stix2.pattern_visitor.create_pattern_object(indicator["pattern"],
                                                       version="2.1") is not None
    assert indicator["extensions"][EXTENSION_ID]["signal_type"] == signal_type
    assert indicator["extensions"][EXTENSION_ID]["value"] == value
    bare = {k: v for k, v in indicator.items() if k != "extensions"}  # a third party's copy
    assert indicator_to_signal(bare).signal.value == value


def test_indicator_carries_owner_labels_and_the_tlp_2_marking() -> None:
    indicator = signal_to_stix(
        _signal(labels=("behaviour:recruitment", "content:image"), tlp="AMBER+STRICT"), NODE)
    assert indicator["created_by_ref"] == stix_id("identity", NODE, 1)
    assert indicator["labels"] == ["behaviour:recruitment", "content:image"]
    assert indicator["object_marking_refs"] == [TLP_MARKING_IDS[Tlp.AMBER_STRICT]]
    assert indicator["indicator_types"] == ["malicious-activity"]


def test_a_negative_bank_signal_is_a_benign_indicator() -> None:
    indicator = signal_to_stix(_signal(), NODE, negative=True)
    assert indicator["indicator_types"] == ["benign"]
    assert indicator_to_signal(indicator).negative


def test_a_retracted_signal_is_a_revoked_indicator_modified_after_it_was_created() -> None:
    indicator = signal_to_stix(_signal(status="retracted", updated=T0), NODE)
    assert indicator["revoked"] is True
    assert indicator["modified"] > indicator["created"]
    assert _errors([indicator]) == []
    found = indicator_to_signal(indicator)
    assert found.revoked and found.status == "retracted"


def test_bundle_brings_the_definitions_its_objects_cite_once() -> None:
    bundle = stix.make_bundle([signal_to_stix(_signal(sid=1, tlp="RED"), NODE),
                               signal_to_stix(_signal(sid=2, tlp="RED"), NODE)])
    ids = [o["id"] for o in bundle["objects"]]
    assert ids.count(TLP_MARKING_IDS[Tlp.RED]) == 1
    assert EXTENSION_ID in ids and ACCORD_IDENTITY_ID in ids
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("kind", ["agency", "platform", "ngo", "research"])
def test_partners_are_organisations_never_individuals(kind: str) -> None:
    identity = stix.partner_to_stix(r.Partner(4, "Partner", kind, "FR", T0), NODE)
    assert identity["identity_class"] == "organization"
    assert identity["id"] == stix_id("identity", NODE, 4)
    assert _errors([identity]) == []


def test_entity_is_a_terrorist_threat_actor_with_its_designations() -> None:
    entity = r.Entity(3, "qde-115", "Example Front", (r.AliasRecord("Front X", "Latn"),), (
        r.DesignationRecord("UN", "QDe.115", dt.date(2001, 10, 6), None),
        r.DesignationRecord("EU", "EU-17", dt.date(2002, 5, 2), dt.date(2020, 1, 1)),
    ))
    actor = stix.entity_to_stix(entity, NODE, created=T0)
    assert actor["threat_actor_types"] == ["terrorist"]
    assert actor["aliases"] == ["Front X"]
    assert actor["external_references"] == [
        {"source_name": "UN", "external_id": "QDe.115"},
        {"source_name": "EU", "external_id": "EU-17"}]
    designations = actor["extensions"][EXTENSION_ID]["designations"]
    assert designations[1] == {"source": "EU", "reference": "EU-17", "listed_on": "2002-05-02",
                               "delisted_on": "2020-01-01"}
    assert _errors([actor]) == []


@pytest.mark.parametrize(("kind", "value"), [
    ("agree", "agree"), ("disagree", "disagree"), ("false-positive", "strongly-disagree"),
    ("seen", "neutral"),
])
def test_opinions_map_to_stix_opinion_values(kind: str, value: str) -> None:
    opinion = stix.opinion_to_stix(r.Opinion(5, 7, 2, "bob", kind, "", T1), NODE)
    assert opinion["opinion"] == value
    assert opinion["object_refs"] == [indicator_id(NODE, 7)]
    assert opinion["created_by_ref"] == stix_id("identity", NODE, 2)
    assert "authors" not in opinion
    assert _errors([opinion]) == []


def test_an_unknown_opinion_kind_is_refused() -> None:
    with pytest.raises(Invalid, match="opinion 5 has kind 'maybe'"):
        stix.opinion_to_stix(r.Opinion(5, 7, 2, "bob", "maybe", "", T1), NODE)


def test_a_sighting_says_counts_and_dates_only() -> None:
    sighting = stix.sighting_to_stix(stix.MatchSummary(7, 12, T0, T1, 2), NODE)
    assert sighting["count"] == 12
    assert sighting["sighting_of_ref"] == indicator_id(NODE, 7)
    assert "where_sighted_refs" not in sighting and "observed_data_refs" not in sighting
    assert _errors([sighting]) == []
    with pytest.raises(Invalid, match="count 0"):
        stix.sighting_to_stix(stix.MatchSummary(7, 0, T0, T1), NODE)


def test_everything_together_validates_with_no_errors() -> None:
    entity = r.Entity(3, "qde-115", "Example Front", (), ())
    objects = [
        stix.partner_to_stix(r.Partner(1, "Agency A", "agency", "FR", T0), NODE),
        *(signal_to_stix(_signal(t, sid=i, tlp=tlp.value), NODE)
          for i, (t, tlp) in enumerate(zip(signal_type_names(), Tlp, strict=False))),
        stix.entity_to_stix(entity, NODE, created=T0),
        stix.opinion_to_stix(r.Opinion(5, 0, 1, "bob", "agree", "a note", T1), NODE),
        stix.sighting_to_stix(stix.MatchSummary(0, 3, T0, T1), NODE),
    ]
    assert _errors(objects) == []


# -- STIX back to signals -------------------------------------------------------------------


@pytest.mark.parametrize("signal_type", signal_type_names())
def test_signal_indicator_signal_round_trip_is_exact(signal_type: str) -> None:
    kind = get_signal_type(signal_type)
    for value in kind.examples():
        signal = _signal(signal_type, value, labels=("behaviour:recruitment",), tlp="GREEN",
                         quality=80 if kind.has_quality else None, rationale="because",
                         source_ref="case-9")
        found = indicator_to_signal(json.dumps(signal_to_stix(signal, NODE)))
        assert found.signal == SignalInput(
            signal_type=signal_type, value=value, quality=signal.quality,
            labels=("behaviour:recruitment",), tlp="GREEN", rationale="because",
            source_ref="case-9")
        assert (found.stix_id, found.revoked) == (indicator_id(NODE, 7), False)


def _third_party(pattern: str, **extra: Any) -> dict[str, Any]:
    return {"type": "indicator", "spec_version": "2.1",
            "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "created": "2024-04-06T20:03:48.000Z", "modified": "2024-04-06T20:03:48.000Z",
            "pattern": pattern, "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z",
            **extra}


@pytest.mark.parametrize(("pattern", "signal_type", "value"), [
    ("[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']", "md5",
     "d41d8cd98f00b204e9800998ecf8427e"),
    ("[file:hashes.'SHA-256' = "
     "'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']", "sha256",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("[url:value = 'https://example.com/']", "url", "https://example.com/"),
])
def test_common_third_party_indicators_are_read(pattern: str, signal_type: str,
                                                value: str) -> None:
    found = indicator_to_signal(_third_party(
        pattern, object_marking_refs=[stix2.TLP_WHITE.id], labels=["malicious-activity"]))
    assert (found.signal.signal_type, found.signal.value) == (signal_type, value)
    assert found.tlp == "CLEAR"
    assert found.signal.labels == ()
    assert found.ignored_labels == ("malicious-activity",)


def test_third_party_labels_that_are_taxonomy_labels_are_kept() -> None:
    found = indicator_to_signal(_third_party(
        "[url:value = 'https://example.com/']", labels=["Behaviour: recruitment"]))
    assert found.signal.labels == ("behaviour:recruitment",)


@pytest.mark.parametrize(("obj", "message"), [
    (_third_party("[ipv4-addr:value = '198.51.100.1']"), "is not a hash or URL Accord shares"),
    (_third_party("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e'] OR "
                  "[url:value = 'https://example.com/']"), "is not one comparison"),
    (_third_party("rule x { condition: true }", pattern_type="yara"), "pattern_type 'yara'"),
    (_third_party("[file:hashes.MD5 = 'nothex']"), "indicator--8e2e2d2b"),
    (_third_party("[file:hashes.MD5 = "), "is not valid STIX 2.1"),
    ({**_third_party("x"), "pattern": None}, "is not valid STIX 2.1"),
    ({"type": "malware", "spec_version": "2.1", "id": "malware--8e2e2d2b-17d4-4cbf-938f-"
      "98ee46b3cd3f", "created": "2024-04-06T20:03:48.000Z",
      "modified": "2024-04-06T20:03:48.000Z", "name": "x", "is_family": False},
     "is a 'malware' object, not an indicator"),
    ({"type": "x-unknown-thing", "id": "x-unknown-thing--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"},
     "not an indicator"),
    ("{not json", "not JSON"),
    ("[1, 2]", "expected a JSON object"),
])
def test_what_accord_cannot_use_is_refused_with_the_object_and_the_reason(
        obj: Any, message: str) -> None:
    with pytest.raises(Invalid, match=message) as caught:
        indicator_to_signal(obj)
    assert "Traceback" not in str(caught.value)
    if isinstance(obj, dict) and obj.get("type") == "indicator":
        assert "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f" in caught.value.message


def test_bundle_rows_take_indicators_skip_tombstones_and_report_refusals() -> None:
    bundle = stix.make_bundle([
        stix.partner_to_stix(r.Partner(1, "Agency A", "agency", "FR", T0), NODE),
        signal_to_stix(_signal("md5", sid=1), NODE),
        signal_to_stix(_signal("pdq", sid=2, status="retracted"), NODE),
        _third_party("[ipv4-addr:value = '198.51.100.1']"),
    ])
    rows = [item for _, item in bundle_rows(json.dumps(bundle))]
    assert [type(x) for x in rows] == [SignalInput, RowError]
    assert isinstance(rows[0], SignalInput) and rows[0].signal_type == "md5"


# -- validation -------------------------------------------------------------------------------


def test_validate_bundle_reports_errors_and_not_warnings() -> None:
    bad = stix.make_bundle([{**_third_party("[file:hashes.MD5 = "), "created": "yesterday"}])
    errors = stix.validate_bundle(bad)
    assert errors and all(isinstance(e, str) for e in errors)
    assert stix.validate_bundle("{not json")[0].startswith("not JSON")
    # a perceptual hash: a STIX pattern on Accord's observable, valid
    ok = signal_to_stix(_signal("pdq"), NODE)
    assert stix.validate_bundle(stix.make_bundle([ok])) == []


def test_validation_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the validator tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    bundle = stix.make_bundle([signal_to_stix(_signal(t), NODE) for t in signal_type_names()])
    assert stix.validate_bundle(bundle) == []
