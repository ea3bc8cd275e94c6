"""Accord records as STIX 2.1 objects, the bundle, the strict parse and the validator.

The mapping (``docs/stix-mapping.md`` has the full table):

- partner -> ``identity`` (always ``identity_class: organization``);
- signal -> ``indicator``: its one writer and one reader are ``indicator``;
- entity -> ``threat-actor`` (``terrorist``), designations as external references;
- opinion -> ``opinion``; matches -> ``sighting`` (counts and dates only);
- crisis -> ``report`` citing its crisis bank's indicators;
- TLP -> ``object_marking_refs`` with the TLP 2.0 marking-definition ids.

Objects come out as plain JSON-ready dicts, built and checked with the
``stix2`` library. Ids, times and markings come from ``stix_common``. Who may
receive what is not decided here: callers filter with the one visibility rule
(``accord.sharing.visibility``, ``Purpose.LEAVE_NODE`` for anything leaving the node).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from accord.errors import AccordError, Invalid, trimmed
from accord.exchange.stix_common import (
    ACCORD_IDENTITY_ID,
    EXTENSION_ID,
    SIGNAL_OBJECT,
    SIGNAL_OBJECT_ID,
    TLP_MARKING_IDS,
    accord_identity,
    extension_definition,
    indicator_id,
    signal_object_definition,
    stix_id,
    stix_time,
    tlp_marking,
)
from accord.incidents.records import Crisis
from accord.sharing.tlp import Tlp
from accord.sharing.visibility import Shareable
from accord.store import records as r
from accord.store.database import Database

PARTNER_SECTORS: dict[str, list[str]] = {
    "agency": ["government"],
    "platform": ["technology"],
    "ngo": ["non-profit"],
    "research": ["education"],
}
OPINION_VALUES: dict[str, str] = {
    "agree": "agree",
    "disagree": "disagree",
    "false-positive": "strongly-disagree",
    "seen": "neutral",
}
MAX_SIGHTING_COUNT = 999_999_999  # the largest count STIX allows

T = TypeVar("T", bound=Shareable)


@dataclass(frozen=True, slots=True)
class MatchSummary:
    """How often one signal matched over a period: all a ``sighting`` may say.

    No content, no content reference, no requester: counts and dates only.
    """

    signal_id: int
    count: int
    first_seen: dt.datetime
    last_seen: dt.datetime
    reporter_partner_id: int | None = None


def _as_dict(obj: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(obj.serialize())
    return result


def _extension(**properties: object) -> dict[str, dict[str, object]]:
    body = {k: v for k, v in properties.items() if v is not None and v != "" and v != []}
    return {EXTENSION_ID: {"extension_type": "property-extension", **body}}


def _markings(tlp: str) -> list[str]:
    return [TLP_MARKING_IDS[Tlp(tlp)]]


# -- Accord records to STIX ----------------------------------------------------------------


def partner_to_stix(partner: r.Partner, node_id: str) -> dict[str, Any]:
    """A partner as an ``identity`` of class ``organization`` (never an individual)."""
    import stix2
    created = stix_time(partner.created_at)
    return _as_dict(stix2.v21.Identity(
        id=stix_id("identity", node_id, partner.id), created=created, modified=created,
        name=partner.name, identity_class="organization",
        description=f"Accord partner ({partner.kind}, {partner.country})",
        sectors=PARTNER_SECTORS.get(partner.kind),
        extensions=_extension(partner_kind=partner.kind, country=partner.country),
    ))


def entity_to_stix(entity: r.Entity, node_id: str, *, created: dt.datetime) -> dict[str, Any]:
    """An entity (an organisation) as a ``threat-actor`` of type ``terrorist``.

    Each designation becomes an external reference (source and reference);
    its listing and delisting dates, and the aliases' scripts, travel in
    Accord's extension. ``created`` dates the object (entities keep no dates).
    """
    import stix2
    stamp = stix_time(created)
    return _as_dict(stix2.v21.ThreatActor(
        id=stix_id("threat-actor", node_id, entity.ref), created=stamp, modified=stamp,
        name=entity.name, threat_actor_types=["terrorist"],
        description=f"Organisation {entity.name} (Accord entity {entity.ref}), "
                    f"named by {len(entity.designations)} designation list(s).",
        aliases=[a.name for a in entity.aliases] or None,
        external_references=[{"source_name": d.source, "external_id": d.reference}
                             for d in entity.designations] or None,
        extensions=_extension(
            entity_ref=entity.ref,
            aliases=[{"name": a.name, "script": a.script} for a in entity.aliases],
            designations=[{
                "source": d.source, "reference": d.reference,
                # STIX forbids nulls: a date the list does not give is left out.
                **({"listed_on": d.listed_on.isoformat()} if d.listed_on else {}),
                **({"delisted_on": d.delisted_on.isoformat()} if d.delisted_on else {}),
            } for d in entity.designations],
        ),
    ))


def opinion_to_stix(opinion: r.Opinion, node_id: str, *,
                    indicator_ref: str | None = None) -> dict[str, Any]:
    """A partner's feedback as an ``opinion`` on the signal's indicator.

    The author's name stays home (members are people); the partner signs it
    through ``created_by_ref``. ``indicator_ref`` defaults to the signal's id
    on this node.
    """
    import stix2
    value = OPINION_VALUES.get(opinion.kind)
    if value is None:
        raise Invalid("opinion {id} has kind {kind}, which has no STIX value",
                      hint="kinds: {opinion_values}", id=opinion.id, kind=trimmed(opinion.kind),
                      opinion_values=", ".join(OPINION_VALUES))
    stamp = stix_time(opinion.updated_at)
    return _as_dict(stix2.v21.Opinion(
        id=stix_id("opinion", node_id, opinion.id), created=stamp, modified=stamp,
        created_by_ref=stix_id("identity", node_id, opinion.partner_id),
        opinion=value, explanation=opinion.note or None,
        object_refs=[indicator_ref or indicator_id(node_id, opinion.signal_id)],
    ))


def sighting_to_stix(summary: MatchSummary, node_id: str) -> dict[str, Any]:
    """Matches of one signal as a ``sighting``: count and first/last time, nothing else."""
    import stix2
    if not 1 <= summary.count <= MAX_SIGHTING_COUNT:
        raise Invalid("sighting count {count} is outside 1-{max_sighting_count}",
                      count=summary.count, max_sighting_count=MAX_SIGHTING_COUNT)
    if summary.last_seen < summary.first_seen:
        raise Invalid("sighting of signal {signal_id}: last_seen is before first_seen",
                      signal_id=summary.signal_id)
    key = f"{summary.signal_id}:{summary.reporter_partner_id}:{stix_time(summary.first_seen)}"
    stamp = stix_time(summary.last_seen)
    reporter = summary.reporter_partner_id
    return _as_dict(stix2.v21.Sighting(
        id=stix_id("sighting", node_id, key), created=stamp, modified=stamp,
        created_by_ref=stix_id("identity", node_id, reporter) if reporter is not None else None,
        sighting_of_ref=indicator_id(node_id, summary.signal_id), count=summary.count,
        first_seen=stix_time(summary.first_seen), last_seen=stamp,
    ))


def crisis_to_stix(crisis: Crisis, indicator_refs: Sequence[str], node_id: str, *,
                   owner_partner_id: int, tlp: str) -> dict[str, Any]:
    """A crisis as a ``report`` whose ``object_refs`` are its crisis bank's indicators.

    The crisis's criteria are its labels; its TLP marking is ``tlp`` (give the strictest of
    the indicators', so the report never travels wider than what it cites). The debrief
    stays home: it is free text about the response, not an exchange object.
    """
    import stix2
    if not indicator_refs:
        raise Invalid("crisis {id} has no indicator that may leave this node",
                      hint="a STIX report cites at least one object: add signals to the crisis "
                           "bank first", id=crisis.id)
    created = crisis.started_at
    ended = crisis.closed_at or crisis.expired_at
    modified = max(ended, created) if ended is not None else created
    state = crisis.state
    return _as_dict(stix2.v21.Report(
        id=stix_id("report", node_id, f"crisis:{crisis.id}"),
        created_by_ref=stix_id("identity", node_id, owner_partner_id),
        created=stix_time(created), modified=stix_time(modified),
        published=stix_time(created), name=f"Accord crisis {crisis.id}",
        description=f"Crisis activated on incident {crisis.incident_id} ({state}); criteria "
                    f"met: {', '.join(crisis.criteria)}. Expires "
                    f"{stix_time(crisis.expires_at)}.",
        report_types=["threat-report"], labels=["crisis", *crisis.criteria],
        object_refs=list(dict.fromkeys(indicator_refs)), object_marking_refs=_markings(tlp),
    ))


def make_bundle(objects: Iterable[Mapping[str, Any]], *,
                bundle_id: str | None = None) -> dict[str, Any]:
    """A ``bundle`` of ``objects`` plus the definitions they reference.

    The TLP 2.0 marking definitions that objects cite, and Accord's
    extension definition (with its author) when an object uses it, are
    added once each, so the bundle stands on its own.
    """
    body = [dict(o) for o in objects]
    present = {o.get("id") for o in body}
    extra: list[dict[str, Any]] = []
    uses_extension = any(EXTENSION_ID in o.get("extensions", {}) for o in body)
    uses_object = any(f"{SIGNAL_OBJECT}:" in str(o.get("pattern", "")) for o in body)
    if (uses_extension or uses_object) and ACCORD_IDENTITY_ID not in present:
        extra.append(accord_identity())
    if uses_extension and EXTENSION_ID not in present:
        extra.append(extension_definition())
    if uses_object and SIGNAL_OBJECT_ID not in present:
        extra.append(signal_object_definition())
    cited = {ref for o in body for ref in o.get("object_marking_refs", ())}
    extra += [tlp_marking(t) for t, mid in TLP_MARKING_IDS.items()
              if mid in cited and mid not in present]
    return {"type": "bundle", "id": bundle_id or f"bundle--{uuid.uuid4()}",
            "objects": extra + body}



def self_contained_bundle(db: Database, node_id: str,
                          objects: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """``make_bundle`` with the ``identity`` of each of this node's partners that an object
    cites (``created_by_ref``), so that every reference resolves inside the bundle."""
    from accord.sharing.service import partner_list

    body = [dict(o) for o in objects]
    cited = {o.get("created_by_ref") for o in body} - {o.get("id") for o in body}
    identities = [partner_to_stix(p, node_id) for p in partner_list(db)
                  if stix_id("identity", node_id, p.id) in cited]
    return make_bundle([*identities, *body])


# -- Reading STIX -----------------------------------------------------------------------------


def describe(obj: Mapping[str, Any]) -> str:
    """How a message names a STIX object: its id (else its type), trimmed."""
    return trimmed(obj.get("id") or obj.get("type") or "<object without id>", 80)


def _stix_error(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 200 else text[:197] + "..."


def parse_stix(data: str | bytes | Mapping[str, Any]) -> dict[str, Any]:
    """Check one STIX 2.1 object or bundle with the ``stix2`` library; return it as a dict.

    Raises ``Invalid`` (never a traceback) naming the object and what is wrong.
    """
    import stix2
    import stix2.exceptions
    if isinstance(data, str | bytes):
        try:
            loaded = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise Invalid("not STIX: the text is not JSON ({stix_error})",
                          stix_error=_stix_error(exc)) from None
        except RecursionError:
            raise Invalid("not STIX: the text is nested too deeply to read as JSON") from None
    else:
        loaded = dict(data)
    if not isinstance(loaded, dict) or not isinstance(loaded.get("type"), str):
        raise Invalid("not STIX: expected a JSON object with a 'type'")
    try:
        stix2.parse(loaded, allow_custom=True, version="2.1")
    except (stix2.exceptions.STIXError, ValueError, TypeError, KeyError,
            AttributeError) as exc:  # stix2 raises AttributeError on e.g. "extensions": 5
        raise Invalid("{describe} is not valid STIX 2.1: {stix_error}", describe=describe(loaded),
                      stix_error=_stix_error(exc)) from None
    return loaded


# -- Validation ----------------------------------------------------------------------------


def _validator_schemas() -> Path:
    import stix2validator
    root = Path(stix2validator.__file__).parent / "schemas-2.1" / "schemas"
    if not (root / "common" / "core.json").is_file():
        raise AccordError("stix2-validator has no STIX 2.1 JSON schemas under {root}",
                          hint="stix2-validator 3.3.1 shipped without them; install the pinned "
                               "stix2-validator==3.3.2 (pip install -e .)", root=root)
    return root


def validate_bundle(bundle_json: str | bytes | Mapping[str, Any]) -> list[str]:
    """The errors ``stix2-validator`` finds in a bundle (warnings are left out).

    Validation is offline: the validator's bundled STIX 2.1 schemas only,
    no ``--schemas`` directory, so it never fetches a schema.
    """
    import stix2validator
    _validator_schemas()
    if isinstance(bundle_json, str | bytes):
        try:
            loaded = json.loads(bundle_json)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return [f"not JSON: {_stix_error(exc)}"]
        except RecursionError:
            return ["not JSON: nested too deeply to read"]
    else:
        loaded = dict(bundle_json)
    options = stix2validator.ValidationOptions(version="2.1", strict=False)
    try:
        results = stix2validator.validate_parsed_json(loaded, options)
    except Exception as exc:  # the validator raises bare exceptions on malformed input
        return [f"cannot validate: {_stix_error(exc)}"]
    errors: list[str] = []
    for result in results if isinstance(results, Sequence) else [results]:
        for error in result.as_dict().get("errors", ()):
            errors.append(str(error.get("message", error)))
    return errors
