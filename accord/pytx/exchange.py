"""``AccordSignalExchangeAPI``: python-threatexchange's ``SignalExchangeAPI`` over an
Accord node's HTTP API (written against threatexchange 1.2.17, BSD-licensed, by
reading its ``exchanges/signal_exchange_api.py``, ``fetch_state.py``, ``auth.py`` and
``impl/techagainstterrorism_api.py``; no code copied).

- **Config** (``config collab edit accord ...``): ``node_url`` and ``collection``, a
  channel name (its TLP:AMBER signals) or ``green`` / ``clear``.
- **Credentials**: an Accord API key from ``$TX_ACCORD_API_KEY`` or ``~/.txaccord_key``.
  A ``reader`` or ``sync`` member's key fetches only; revoke it with
  ``accord key revoke``. ``report_opinion`` needs a key that may give opinions.
- **Checkpoint**: the TAXII ``next`` cursor (the node's ``sync_seq``), strictly
  increasing; a page whose cursor does not move forward stops the fetch.
- **Records**: keyed by indicator id; labels become the opinion's tags; a retracted
  or quarantined signal arrives as a delete (``None``).
"""

# No ``from __future__ import annotations``: pytx's ``config collab edit`` reads the
# config dataclass's field types at run time.
import datetime as dt
import typing as t
from dataclasses import dataclass, field

import requests
from threatexchange.exchanges import auth
from threatexchange.exchanges import fetch_state as state
from threatexchange.exchanges.collab_config import CollaborationConfigWithDefaults
from threatexchange.exchanges.signal_exchange_api import SignalExchangeAPI
from threatexchange.signal_type.signal_base import SignalType

API_NAME = "accord"
# Accord's STIX property extension (accord.exchange.stix_common.EXTENSION_ID; a test
# holds the two equal, as this module may not import the rest of Accord).
EXTENSION_ID = "extension-definition--731082b2-eccc-520e-b031-7baa5914cd32"
TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
PAGE_LIMIT = 1000
TIMEOUT_SECONDS = 30.0
# Statuses that a holder must stop matching: they arrive as deletes.
WITHDRAWN = frozenset({"retracted", "quarantined"})
OPINION_KINDS = {
    state.SignalOpinionCategory.POSITIVE_CLASS: "agree",
    state.SignalOpinionCategory.NEGATIVE_CLASS: "false-positive",
    state.SignalOpinionCategory.INVESTIGATION_SEED: "seen",
}


class AccordFetchError(Exception):
    """The node answered something this exchange cannot use; the checkpoint holds."""


@dataclass
class _AccordRequiredFields:
    node_url: str = field(metadata={"help": "the Accord node's base URL, e.g. https://accord.example"})
    collection: str = field(metadata={"help": "a channel name, or green / clear"})


@dataclass
class AccordCollabConfig(CollaborationConfigWithDefaults, _AccordRequiredFields):
    """One Accord collection to fetch."""

    api: str = field(init=False, default=API_NAME)


@dataclass
class AccordCheckpoint(state.FetchCheckpointBase):
    """Where the fetch stands: the last TAXII cursor, and the newest ``date_added`` seen."""

    cursor: int = 0
    progress_timestamp: int = 0

    def get_progress_timestamp(self) -> int | None:
        return self.progress_timestamp or None


@dataclass
class AccordSignal(state.FetchedSignalMetadata):
    """A signal shared through Accord, as the partner may see it."""

    signal_type: str
    value: str
    owner: str
    labels: tuple[str, ...] = ()
    negative: bool = False

    def get_as_opinions(self) -> t.Sequence[state.SignalOpinion]:
        category = (state.SignalOpinionCategory.NEGATIVE_CLASS if self.negative
                    else state.SignalOpinionCategory.POSITIVE_CLASS)
        return [state.SignalOpinion(False, category, set(self.labels))]


@dataclass
class AccordCredentials(auth.CredentialHelper):
    """An Accord API key (``accord key create``): read-only keys only fetch."""

    ENV_VARIABLE: t.ClassVar[str] = "TX_ACCORD_API_KEY"
    FILE_NAME: t.ClassVar[str] = "~/.txaccord_key"

    api_key: str

    @classmethod
    def _from_str(cls, s: str) -> "AccordCredentials":
        return cls(s.strip())

    def _are_valid(self) -> bool:
        return bool(self.api_key) and self.api_key.isascii() and " " not in self.api_key


class AccordSignalExchangeAPI(
    auth.SignalExchangeWithAuth[AccordCollabConfig, AccordCredentials],
    SignalExchangeAPI[AccordCollabConfig, AccordCheckpoint, AccordSignal, str, AccordSignal],
):
    """Fetch one collection of an Accord node; report opinions back to it."""

    def __init__(self, collab: AccordCollabConfig, api_key: str) -> None:
        self.collab = collab
        self.base = collab.node_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {api_key}"

    @classmethod
    def get_name(cls) -> str:
        return API_NAME

    @staticmethod
    def get_config_cls() -> type[AccordCollabConfig]:
        return AccordCollabConfig

    @staticmethod
    def get_checkpoint_cls() -> type[AccordCheckpoint]:
        return AccordCheckpoint

    @staticmethod
    def get_record_cls() -> type[AccordSignal]:
        return AccordSignal

    @staticmethod
    def get_credential_cls() -> type[AccordCredentials]:
        return AccordCredentials

    @classmethod
    def for_collab(cls, collab: AccordCollabConfig,
                   credentials: AccordCredentials | None = None) -> "AccordSignalExchangeAPI":
        credentials = credentials or AccordCredentials.get(cls)
        return cls(collab, credentials.api_key)

    def _get(self, path: str, **params: t.Any) -> t.Any:
        response = self.session.get(f"{self.base}{path}", params=params,
                                    headers={"Accept": TAXII_MEDIA_TYPE}, timeout=TIMEOUT_SECONDS)
        if response.status_code != 200:
            raise AccordFetchError(
                f"GET {path}: HTTP {response.status_code}: {response.text[:200]}")
        try:
            return response.json()
        except ValueError:
            raise AccordFetchError(f"GET {path}: the answer is not JSON") from None

    def collection_id(self) -> str:
        """The TAXII id of the configured collection, found by its title."""
        wanted = self.collab.collection.strip()
        titles = {"green": "TLP:GREEN signals", "clear": "TLP:CLEAR signals"}
        title = titles.get(wanted.lower(), f"Channel {wanted}")
        for found in self._get("/taxii2/api/collections/").get("collections", []):
            if found.get("title") == title or found.get("id") == wanted:
                return str(found["id"])
        raise AccordFetchError(f"no collection {wanted!r} that this key may read "
                               "(a channel name, green or clear)")

    def fetch_iter(
        self, supported_signal_types: t.Sequence[type[SignalType]],
        checkpoint: AccordCheckpoint | None,
    ) -> t.Iterator[state.FetchDelta[str, AccordSignal, AccordCheckpoint]]:
        path = f"/taxii2/api/collections/{self.collection_id()}/objects/"
        current = checkpoint or AccordCheckpoint()
        while True:
            params: dict[str, t.Any] = {"limit": PAGE_LIMIT}
            if current.cursor:
                params["next"] = str(current.cursor)
            page = self._get(path, **params)
            objects = page.get("objects", [])
            if not objects:
                return
            current = _advance(current, page)
            yield state.FetchDelta(_updates(objects), current)
            if not page.get("more"):
                return

    @classmethod
    def naive_convert_to_signal_type(
        cls, signal_types: t.Sequence[type[SignalType]], collab: AccordCollabConfig,
        fetched: t.Mapping[str, AccordSignal],
    ) -> dict[type[SignalType], dict[str, AccordSignal]]:
        by_name = {st.get_name(): st for st in signal_types}
        ret: dict[type[SignalType], dict[str, AccordSignal]] = {}
        for record in fetched.values():
            s_type = by_name.get(record.signal_type)
            if s_type is None:
                continue
            try:
                value = s_type.validate_signal_str(record.value)
            except ValueError:
                continue
            ret.setdefault(s_type, {})[value] = record
        return ret

    def report_opinion(self, s_type: type[SignalType], signal: str,
                       opinion: state.SignalOpinion) -> None:
        """Give the key's partner's opinion of the signal: POSITIVE_CLASS is ``agree``,
        NEGATIVE_CLASS ``false-positive``, INVESTIGATION_SEED ``seen``; tags go in the note."""
        signal_id = self._signal_id(s_type.get_name(), signal)
        body = {"kind": OPINION_KINDS[opinion.category],
                "note": ", ".join(sorted(opinion.tags))[:4000]}
        response = self.session.post(f"{self.base}/api/v1/signals/{signal_id}/opinions",
                                     json=body, timeout=TIMEOUT_SECONDS)
        if response.status_code != 201:
            raise AccordFetchError(f"opinion refused: HTTP {response.status_code}: "
                                   f"{response.text[:200]}")

    def _signal_id(self, signal_type: str, value: str) -> int:
        """The id of the signal, active or quarantined (a dispute may follow a dispute)."""
        for status in ("active", "quarantined"):
            found = self._find(signal_type, value, status)
            if found is not None:
                return found
        raise AccordFetchError(f"no {signal_type} signal {value[:70]!r} this key may see")

    def _find(self, signal_type: str, value: str, status: str) -> int | None:
        after = 0
        while True:
            params: dict[str, str | int] = {"signal_type": signal_type, "status": status,
                                            "after": after, "limit": 1000}
            response = self.session.get(f"{self.base}/api/v1/signals", params=params,
                                        timeout=TIMEOUT_SECONDS)
            if response.status_code != 200:
                raise AccordFetchError(f"GET /api/v1/signals: HTTP {response.status_code}")
            page = response.json()
            for found in page["signals"]:
                if found["value"] == value:
                    return int(found["id"])
            if page.get("next_after") is None:
                return None
            after = int(page["next_after"])


def _advance(current: AccordCheckpoint, page: t.Mapping[str, t.Any]) -> AccordCheckpoint:
    """The checkpoint after ``page``; refused unless its cursor moves strictly forward."""
    raw = str(page.get("next", ""))
    if not raw.isdigit() or int(raw) <= current.cursor:
        raise AccordFetchError(f"the node's cursor {raw[:20]!r} does not move past "
                               f"{current.cursor}; the checkpoint holds")
    stamps = [_epoch(o.get("modified")) for o in page.get("objects", [])]
    return AccordCheckpoint(int(raw), max([current.progress_timestamp, *stamps]))


def _epoch(text: t.Any) -> int:
    try:
        return int(dt.datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp())
    except ValueError:
        return 0


def _updates(objects: t.Sequence[t.Mapping[str, t.Any]]) -> dict[str, AccordSignal | None]:
    """Indicator id -> the record, or ``None`` (a delete) for a withdrawn signal."""
    updates: dict[str, AccordSignal | None] = {}
    for obj in objects:
        ext = obj.get("extensions", {}).get(EXTENSION_ID)
        if obj.get("type") != "indicator" or not isinstance(ext, dict):
            continue
        if obj.get("revoked") or ext.get("status") in WITHDRAWN:
            updates[str(obj["id"])] = None
            continue
        updates[str(obj["id"])] = AccordSignal(
            str(ext["signal_type"]), str(ext["value"]), str(obj.get("created_by_ref", "")),
            tuple(str(label) for label in obj.get("labels", [])),
            "benign" in obj.get("indicator_types", []))
    return updates
