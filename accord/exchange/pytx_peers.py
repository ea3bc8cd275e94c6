"""Exchange peers: python-threatexchange ``SignalExchangeAPI``s this node pulls from.

An exchange peer names a pytx API (``fb_threatexchange`` for ThreatExchange and
GIFCT, ``stop_ncii``, ``ncmec``, ``tat``, ``local_file``), its collab config
(validated through the API's own collab config dataclass), where its
credentials are (an environment variable or a file, read at each sync; the
secret itself is never stored, shown or logged), an optional endpoint (a test
or regional server: ThreatExchange, StopNCII, TCAP and NCMEC), the bank, TLP and
channel of what it sends, an upstream tag -> taxonomy label mapping and flood
limits. The pull itself is ``accord.exchange.pytx_sync``.

Everything pytx-specific stays in this module and ``pytx_sync``: the library's
clients and record types are used as they are, never rewritten.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import os
import re
from pathlib import Path
from typing import Any

import dacite
from threatexchange.exchanges import auth
from threatexchange.exchanges.clients.fb_threatexchange.api import ThreatExchangeAPI
from threatexchange.exchanges.clients.ncmec.hash_api import NCMECEnvironment, NCMECHashAPI
from threatexchange.exchanges.clients.stopncii.api import StopNCIIAPI, StopNCIIEndpoint
from threatexchange.exchanges.clients.techagainstterrorism.api import TATHashListAPI
from threatexchange.exchanges.collab_config import CollaborationConfigBase
from threatexchange.exchanges.fetch_state import FetchCheckpointBase
from threatexchange.exchanges.impl.fb_threatexchange_api import (
    FBThreatExchangeCollabConfig,
    FBThreatExchangeCredentials,
    FBThreatExchangeSignalExchangeAPI,
)
from threatexchange.exchanges.impl.file_api import LocalFileSignalExchangeAPI
from threatexchange.exchanges.impl.ncmec_api import (
    NCMECCollabConfig,
    NCMECCredentials,
    NCMECSignalExchangeAPI,
)
from threatexchange.exchanges.impl.static_sample import StaticSampleSignalExchangeAPI
from threatexchange.exchanges.impl.stop_ncii_api import (
    StopNCIICredentials,
    StopNCIISignalExchangeAPI,
)
from threatexchange.exchanges.impl.techagainstterrorism_api import (
    TATCredentials,
    TATSignalExchangeAPI,
)
from threatexchange.exchanges.signal_exchange_api import TSignalExchangeAPI
from threatexchange.signal_type.md5 import VideoMD5Signal
from threatexchange.signal_type.pdq.signal import PdqSignal
from threatexchange.signal_type.sha256 import VideoSHA256Signal
from threatexchange.signal_type.signal_base import SignalType
from threatexchange.signal_type.url import URLSignal

from accord.errors import Invalid, PermissionDenied, trimmed

ApiClass = type[TSignalExchangeAPI]
_BUILT_IN: tuple[type[Any], ...] = (
    FBThreatExchangeSignalExchangeAPI, StopNCIISignalExchangeAPI, NCMECSignalExchangeAPI,
    TATSignalExchangeAPI, LocalFileSignalExchangeAPI, StaticSampleSignalExchangeAPI)
EXCHANGES: dict[str, ApiClass] = {cls.get_name(): cls for cls in _BUILT_IN}
"""The pytx APIs a peer may be, by their pytx name."""
ENDPOINT_OVERRIDE = frozenset({"fb_threatexchange", "stop_ncii", "tat", "ncmec"})
"""APIs whose client takes another base URL (``--endpoint``)."""
SIGNAL_TYPES: tuple[type[SignalType], ...] = (PdqSignal, VideoMD5Signal, VideoSHA256Signal,
                                              URLSignal)
"""The pytx signal types fetched records are converted to (each has an Accord type)."""
_RESERVED = frozenset({"name", "api", "enabled"})
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,199}$")


def _squash(name: str) -> str:
    return name.strip().lower().replace("_", "").replace("-", "")


def find_exchange(name: str) -> ApiClass:
    """The pytx API called ``name`` (``fb_threat_exchange`` and ``fb_threatexchange`` alike)."""
    for known, cls in EXCHANGES.items():
        if _squash(known) == _squash(name):
            return cls
    raise Invalid("no exchange {name}", hint="one of: {exchanges}", name=trimmed(name),
                  exchanges=", ".join(sorted(EXCHANGES)))


def parse_collab(api: ApiClass, peer: str, text: str) -> CollaborationConfigBase:
    """The API's collab config from the JSON object ``text`` (its own fields; ``name`` is
    the peer's), validated by its dataclass: unknown fields, missing ones and wrong types
    are refused with the field named."""
    try:
        given = json.loads(text or "{}")
    except ValueError as exc:
        raise Invalid("--collab is not JSON: {exc}",
                      hint="give an object, e.g. '{{\"privacy_group\": 1234}}'", exc=exc) from None
    if not isinstance(given, dict):
        raise Invalid("--collab must be a JSON object", hint='e.g. \'{"privacy_group": 1234}\'')
    cls = api.get_config_cls()
    init = {f.name for f in dataclasses.fields(cls) if f.init}
    if bad := sorted(set(given) & _RESERVED | set(given) - init):
        raise Invalid("{name} has no collab setting {map}", hint="its settings: {init}",
                      name=api.get_name(), map=', '.join(map(repr, bad)),
                      init=", ".join(sorted(init - _RESERVED)))
    data: dict[str, Any] = {"name": peer, "enabled": True, **given}
    if "api" in init:
        data["api"] = api.get_name()
    try:
        return dacite.from_dict(cls, data, config=dacite.Config(
            strict=True, cast=[enum.Enum, set, frozenset]))
    except (dacite.DaciteError, ValueError, TypeError) as exc:
        raise Invalid("--collab does not fit {name}: {exc}", hint="its settings: {init}",
                      name=api.get_name(), exc=trimmed(str(exc), 200),
                      init=", ".join(sorted(init - _RESERVED))) from None


def collab_json(collab: CollaborationConfigBase) -> str:
    """What is stored of a collab config: its own fields (not name, api, enabled)."""
    data = {k: v for k, v in dataclasses.asdict(collab).items() if k not in _RESERVED}
    return json.dumps(data, default=_plain, sort_keys=True)


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dump_checkpoint(checkpoint: FetchCheckpointBase) -> str:
    """The checkpoint as stored (its dataclass fields as JSON)."""
    return json.dumps(dataclasses.asdict(checkpoint), default=_plain, sort_keys=True)


def load_checkpoint(api: ApiClass, text: str | None) -> FetchCheckpointBase | None:
    """The stored checkpoint (None: none yet). A stored checkpoint that no longer loads
    fails the run rather than silently starting over from the beginning."""
    if not text:
        return None
    try:
        return dacite.from_dict(api.get_checkpoint_cls(), json.loads(text),
                                config=dacite.Config(cast=[enum.Enum]))
    except (dacite.DaciteError, ValueError, TypeError) as exc:
        raise Invalid("the stored checkpoint does not load: {exc}",
                      hint="reset it with: accord peer add again under a new name",
                      exc=trimmed(str(exc), 200)) from None


def needs_credentials(api: ApiClass) -> bool:
    """Whether the API signs in (pytx's ``SignalExchangeWithAuth``)."""
    return issubclass(api, auth.SignalExchangeWithAuth)


MEMBER_ENV_PREFIX = "ACCORD_EXCHANGE_CREDENTIALS_"
MEMBER_FOLDER = "exchange-credentials"


def _check_member_ref(file: str | None, env: str | None, home: Path) -> None:
    """A member (web UI, API, ``--as``) names only credentials the operator set aside for
    exchanges: otherwise any variable or file the server can read (the database URL, a
    key) could be sent to an endpoint of the member's choosing."""
    if env and not env.startswith(MEMBER_ENV_PREFIX):
        raise PermissionDenied("a member may name only environment variables {member_env_prefix}*",
                               hint="ask the node operator to set one, or to add the peer with "
                                    "the CLI", member_env_prefix=MEMBER_ENV_PREFIX)
    folder = (home / MEMBER_FOLDER).resolve()
    if file and not Path(file).expanduser().resolve().is_relative_to(folder):
        raise PermissionDenied("a member may name only credentials files in {folder}",
                               hint="ask the node operator to put the file there", folder=folder)


def credentials_ref(api: ApiClass, file: str | None, env: str | None, *,
                    member_home: Path | None = None) -> str | None:
    """The stored reference to the credentials: ``file:PATH`` or ``env:VAR``. The file
    must exist now; its content and the variable's value are read only at sync. With
    ``member_home`` (a member, not the operator, adds the peer) only the variables and
    the folder set aside for exchanges may be named."""
    if member_home is not None:
        _check_member_ref(file, env, member_home)
    if file and env:
        raise Invalid("give --credentials-file or --credentials-env, not both")
    if not needs_credentials(api):
        if file or env:
            raise Invalid("{name} takes no credentials", name=api.get_name())
        return None
    if env:
        if not _ENV_NAME.match(env):
            raise Invalid("{env} is not an environment variable name",
                          hint="name the variable, not its value: --credentials-env TX_TOKEN",
                          env=trimmed(env))
        return f"env:{env}"
    if file:
        path = Path(file).expanduser().resolve()
        if not path.is_file():
            raise Invalid("no credentials file {path}",
                          hint="create it (chmod 400) and give its path", path=trimmed(str(path)))
        return f"file:{path}"
    raise Invalid("{name} needs credentials",
                  hint="--credentials-file PATH or --credentials-env VAR (the secret itself is "
                       "never given on the command line nor stored)", name=api.get_name())


def _secret(ref: str) -> str:
    """The credentials text ``ref`` points at (never logged, never in a message)."""
    where, _, name = ref.partition(":")
    if where == "env":
        value = os.environ.get(name, "")
        if not value.strip():
            raise Invalid("the credentials variable {name} is not set",
                          hint="set it in the environment of the process that syncs", name=name)
        return value.strip()
    try:
        return Path(name).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise Invalid("cannot read the credentials file {name}: {strerror}",
                      hint="check that it exists and that this process may read it",
                      name=trimmed(name), strerror=exc.strerror) from None


def _credentials(api: ApiClass, ref: str | None) -> auth.CredentialHelper | None:
    if ref is None or not needs_credentials(api):
        return None
    helper: type[auth.CredentialHelper] = api.get_credential_cls()  # type: ignore[attr-defined]
    try:
        # The API's own parser reads the first line; later lines are Accord's extras
        # (``extra_credentials``: StopNCII's SubmitFeedback key for write-back).
        found = helper._from_str(_secret(ref).splitlines()[0])
    except ValueError:
        found = None
    if found is None or not found._are_valid():
        raise Invalid("the credentials in {where} {what} are not valid for {name}",
                      hint="see docs/exchanges.md for each exchange's credentials format",
                      where=ref.partition(':')[0], what=ref.partition(':')[2],
                      name=api.get_name())
    return found


def extra_credentials(ref: str | None) -> dict[str, str]:
    """The ``name=value`` lines after the first of the credentials ``ref`` points at (never
    logged): settings pytx's credentials format has no room for."""
    if ref is None:
        return {}
    found: dict[str, str] = {}
    for line in _secret(ref).splitlines()[1:]:
        name, sep, value = line.partition("=")
        if sep and name.strip() and value.strip():
            found[name.strip()] = value.strip()
    return found


def open_exchange(api: ApiClass, collab: CollaborationConfigBase, ref: str | None,
                  endpoint: str | None) -> TSignalExchangeAPI:
    """A signed-in instance of the API for ``collab`` (credentials read now, from ``ref``
    only: pytx's own fallbacks, ``~/.txtoken`` and the like, are never consulted)."""
    creds = _credentials(api, ref)
    if isinstance(creds, FBThreatExchangeCredentials) and endpoint:
        assert isinstance(collab, FBThreatExchangeCollabConfig)
        client = ThreatExchangeAPI(creds.api_token, endpoint_override=endpoint.rstrip("/"))
        return FBThreatExchangeSignalExchangeAPI(client, collab)  # type: ignore[return-value]
    if isinstance(creds, TATCredentials) and endpoint:
        return _tat_at(endpoint, creds)  # type: ignore[return-value]
    if isinstance(creds, NCMECCredentials) and endpoint:
        assert isinstance(collab, NCMECCollabConfig)
        return _ncmec_at(endpoint, collab, creds)  # type: ignore[return-value]
    if isinstance(creds, StopNCIICredentials) and endpoint:
        creds = dataclasses.replace(creds, base_url_override=endpoint.rstrip("/"))
    if creds is not None:
        return api.for_collab(collab, creds)  # type: ignore[call-arg]
    return api.for_collab(collab)


FEEDBACK_KEY = "submit_feedback_key"
"""The credentials line naming StopNCII's SubmitFeedback function key (write-back)."""


def stopncii_feedback_client(ref: str | None, endpoint: str | None) -> StopNCIIAPI:
    """pytx's StopNCII client with the SubmitFeedback function key of the credentials'
    ``submit_feedback_key=`` line (pytx's own credentials hold only the fetch key)."""
    creds = _credentials(find_exchange("stop_ncii"), ref)
    key = extra_credentials(ref).get(FEEDBACK_KEY)
    if not isinstance(creds, StopNCIICredentials) or not key:
        raise Invalid("StopNCII write-back needs the SubmitFeedback function key",
                      hint="add a line {key_name}=KEY after the first line of the "
                           "peer's credentials", key_name=FEEDBACK_KEY)
    return StopNCIIAPI(creds.subscription_key, creds.fetch_function_key,
                       additional_function_keys={StopNCIIEndpoint.SubmitFeedback: key},
                       base_url_override=(endpoint or "").rstrip("/")
                       or creds.base_url_override)


def _tat_at(endpoint: str, creds: TATCredentials) -> TATSignalExchangeAPI:
    """TCAP's exchange with its client at ``endpoint``: pytx's TCAP client keeps its base
    URL in a class attribute, so a subclass sets it (nothing else changes)."""
    client_cls = type("TATHashListAPIAt", (TATHashListAPI,),
                      {"BASE_URL": endpoint.rstrip("/") + "/"})

    class TATSignalExchangeAPIAt(TATSignalExchangeAPI):
        def get_client(self) -> TATHashListAPI:
            client: TATHashListAPI = client_cls(username=self.username,
                                                password=self.password)
            return client

    return TATSignalExchangeAPIAt(username=creds.username, password=creds.password)


def _ncmec_at(endpoint: str, collab: NCMECCollabConfig,
              creds: NCMECCredentials) -> NCMECSignalExchangeAPI:
    """NCMEC's exchange with its client at ``endpoint``. pytx's NCMEC client takes only the
    URLs of its ``NCMECEnvironment`` enum, which cannot be extended; but the exchange makes
    its client in ``get_client`` (the seam pytx's own tests replace), and the client keeps
    its environment's URL in ``_base_url``, the one attribute every request is built from
    (pinned pytx 1.2.17). So a subclass's ``get_client`` makes pytx's client as usual and
    sets that URL; the client's requests, paging (``nextUrl`` is a path under the base
    URL), retries and XML parsing are pytx's. The collab's ``environment`` is still
    required and kept: it names the database the endpoint stands for."""
    base = endpoint.rstrip("/")

    class NCMECSignalExchangeAPIAt(NCMECSignalExchangeAPI):
        def get_client(self, environment: NCMECEnvironment) -> NCMECHashAPI:
            client = super().get_client(environment)
            client._base_url = base
            return client

    return NCMECSignalExchangeAPIAt(collab, creds.user, creds.password)


def parse_tag_map(text: str | None) -> dict[str, str]:
    """The upstream tag -> taxonomy label mapping (a JSON object of strings)."""
    if not text:
        return {}
    try:
        given = json.loads(text)
    except ValueError as exc:
        raise Invalid("--tag-map is not JSON: {exc}",
                      hint="e.g. '{{\"terrorism\": \"tvec.propaganda\"}}'", exc=exc) from None
    if not isinstance(given, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in given.items()):
        raise Invalid("--tag-map must be a JSON object of tag: label strings")
    return dict(given)
