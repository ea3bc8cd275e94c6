"""A signal type installed only through the ``accord.signal_types`` entry point is
imported, exported over TAXII and matched over the API, with no change to Accord.

The plug-in is a distribution in a temporary folder: a ``*.dist-info`` with
``METADATA`` and ``entry_points.txt``, beside the module defining the type. It
declares the ``hamming256`` index kind with a threshold of its own, so matching
goes through the engine's generic path (not PDQ's settings or bank thresholds).
"""

from __future__ import annotations

import io
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.config import Settings
from accord.curation import importer
from accord.exchange.stix_common import EXTENSION_ID
from accord.sharing.roles import Actor
from accord.signals import get_signal_type
from accord.signals.registry import registry
from accord.store.database import Database
from tests.api.conftest import Keys, api, keys  # noqa: F401  (fixtures)
from tests.api.test_api import wait_for
from tests.api.test_taxii import _collections, _objects

PLUGIN = "accord_test_phash"
TYPE = "test_phash"
VALUE = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
NEAR = VALUE[:-2] + "23"  # one bit away
FAR = "0" * 64

MODULE = '''
"""A third party's 256-bit perceptual hash, matched within 8 bits."""

import re
from typing import ClassVar

from accord.signals.base import IndexKind, InvalidSignal, SignalType

_HEX = re.compile("[0-9a-f]{64}")


class TestPhashSignal(SignalType):
    name: ClassVar[str] = "test_phash"
    index_kind: ClassVar[IndexKind] = "hamming256"
    default_threshold: ClassVar[int] = 8

    @classmethod
    def validate(cls, value: str) -> str:
        canonical = value.strip().lower()
        if not _HEX.fullmatch(canonical):
            raise InvalidSignal.for_value(cls.name, value, "expected 64 hex digits")
        return canonical

    @classmethod
    def distance(cls, a: str, b: str) -> int:
        return (int(a, 16) ^ int(b, 16)).bit_count()

    @classmethod
    def examples(cls) -> list[str]:
        return [VALUE]
'''.replace("VALUE", repr(VALUE))


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings pointing at the fresh database (the API fixtures need a real node)."""
    return Settings(home=tmp_path / "home", database_url=database_url)


@pytest.fixture(autouse=True)
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Install the plug-in distribution on ``sys.path`` before the app is made."""
    site = tmp_path / "site"
    info = site / f"{PLUGIN}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {PLUGIN}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        f"[accord.signal_types]\n{TYPE} = {PLUGIN}:TestPhashSignal\n")
    (site / f"{PLUGIN}.py").write_text(textwrap.dedent(MODULE))
    monkeypatch.syspath_prepend(str(site))
    registry.cache_clear()
    yield
    registry.cache_clear()
    sys.modules.pop(PLUGIN, None)


def test_a_plugin_type_is_imported_exported_and_matched(
    api: TestClient, keys: Keys, db: Database, settings: Settings  # noqa: F811
) -> None:
    assert get_signal_type(TYPE).index_kind == "hamming256"
    rows = f"signal_type,signal_value\n{TYPE},{VALUE.upper()}\n{TYPE},{FAR}\n"
    report = importer.import_signals(db, Actor.operator(), "a-images",
                                     io.BytesIO(rows.encode()), settings, fmt="csv")
    assert report.imported == 2

    indicators = _objects(api, keys.reader_b, _collections(api, keys.reader_b)["Channel ab"])
    ours = {o["extensions"][EXTENSION_ID]["value"]: o for o in indicators
            if f"x-accord-signal:signal_type = '{TYPE}'" in o.get("pattern", "")}
    assert set(ours) == {VALUE, FAR}

    query = {"signal_type": TYPE, "value": NEAR}
    wait_for(lambda: api.post("/api/v1/match", headers=keys.reviewer_b, json=query)
             .json()["matches"])
    [hit] = api.post("/api/v1/match", headers=keys.reviewer_b, json=query).json()["matches"]
    assert (hit["signal_type"], hit["value"], hit["distance"]) == (TYPE, VALUE, 1)
    assert api.post("/api/v1/match", headers=keys.admin_c, json=query).json()["matches"] == []
