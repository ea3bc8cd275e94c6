"""Signal type names between Accord and pytx, checked against pytx's own type registry."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from accord.curation.signals import SignalInput
from accord.exchange.formats.hma import (
    ACCORD_TO_PYTX,
    NOT_WRITTEN,
    PYTX_TO_ACCORD,
    REFUSED,
    accord_type,
    pytx_type,
    write_hma,
)
from accord.signals import get_signal_type, signal_type_names
from tests.exchange.pytx_cli import PytxCli

# Every signal type the threatexchange CLI knows, with the tlsh and vpdq extensions;
# given "<type> <value>" lines on stdin, pytx's own validate_signal_str of each value.
_PYTX_TYPES = """
import json, sys
from threatexchange.cli.main import _DEFAULT_SIGNAL_TYPES
from threatexchange.extensions.tlsh import TX_MANIFEST as tlsh
from threatexchange.extensions.vpdq.manifest import TX_MANIFEST as vpdq
types = {t.get_name(): t for t in [*_DEFAULT_SIGNAL_TYPES, *tlsh.signal_types,
                                    *vpdq.signal_types]}
checked = []
for line in sys.stdin.read().splitlines():
    name, _, value = line.partition(" ")
    try:
        types[name].validate_signal_str(value)
        checked.append([name, "ok"])
    except ValueError as err:
        checked.append([name, str(err)])
print(json.dumps({"names": sorted(types), "checked": checked}))
"""


@pytest.fixture(scope="module")
def pytx_types(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """pytx's type names, and its verdict on every Accord type's examples as written."""
    out = io.StringIO()
    write_hma([SignalInput(name, value) for name in signal_type_names()
               for value in (get_signal_type(name).validate(v)
                             for v in get_signal_type(name).examples())], out)
    pytx = PytxCli.make(tmp_path_factory.mktemp("pytx"))
    result: dict[str, Any] = json.loads(pytx.python(_PYTX_TYPES, out.getvalue()))
    return result


def test_every_pytx_type_is_mapped_or_refused_with_a_reason(
        pytx_types: dict[str, Any]) -> None:
    for name in pytx_types["names"]:
        assert name in PYTX_TO_ACCORD or name in REFUSED, name
        kind = accord_type(name)
        assert isinstance(kind, str) or REFUSED[name] in kind.message


def test_every_accord_type_is_written_under_a_name_pytx_knows(
        pytx_types: dict[str, Any]) -> None:
    assert set(ACCORD_TO_PYTX) | set(NOT_WRITTEN) == set(signal_type_names())
    assert set(ACCORD_TO_PYTX.values()) <= set(pytx_types["names"])
    assert not set(NOT_WRITTEN) & set(ACCORD_TO_PYTX)


def test_pytx_accepts_every_example_value_of_every_accord_type_as_written(
        pytx_types: dict[str, Any]) -> None:
    """Values too: a ``vpdq`` list, a ``text_tlsh`` ``T1`` digest, lower-case hex."""
    checked = pytx_types["checked"]
    assert {name for name, _ in checked} == set(ACCORD_TO_PYTX.values())
    assert all(verdict == "ok" for _, verdict in checked), checked


@pytest.mark.parametrize(("signal", "written"), [
    (SignalInput("md5", "1" * 32), "video_md5"),
    (SignalInput("md5", "1" * 32, labels=("content:video", "ideology:jihadist")), "video_md5"),
    (SignalInput("md5", "1" * 32, labels=("content:image",)), None),
    (SignalInput("sha256", "1" * 64, labels=("content:document",)), None),
    (SignalInput("md5", "1" * 32, labels=("content:manifesto",)), "video_md5"),  # either
    (SignalInput("md5", "1" * 32, labels=("content:livestream-recording", "content:poster")),
     "video_md5"),
    (SignalInput("sha256", "1" * 64, labels=("content:video", "content:image")), "video_sha256"),
    (SignalInput("video_pdq", f"0:100:{'1' * 64}"), "vpdq"),
    (SignalInput("pdq", "1" * 64, labels=("content:image",)), "pdq"),
])
def test_file_digests_take_pytx_video_names_unless_labelled_as_other_content(
        signal: SignalInput, written: str | None) -> None:
    assert pytx_type(signal) == written
