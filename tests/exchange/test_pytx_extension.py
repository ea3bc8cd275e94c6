"""Accord as an exchange of python-threatexchange: the real ``threatexchange`` CLI, in
its own virtualenv, with the ``accord.pytx`` extension, fetches from ``accord serve``.

The extension travels into pytx's virtualenv as ``accord/__init__.py`` and
``accord/pytx/`` only (on its PYTHONPATH): nothing else of Accord, none of its
dependencies, so the test also shows that the extension needs nothing more.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import accord
from accord.curation import banks, opinions, signals
from accord.curation.signals import SignalInput
from accord.exchange.stix_common import EXTENSION_ID
from accord.sharing import service
from tests.exchange.pytx_cli import PytxCli
from tests.federation.nodes import OP, Node, serving, sqlite_node

ROOT = Path(accord.__file__).resolve().parent.parent
SEEN = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"  # channel ab
OTHER_CHANNEL = "a5" * 32  # AMBER in channel ac, which B is not in
RED = "0f" * 32
GREEN = "3c" * 32


def _flip(value: str, bits: int) -> str:
    """``value`` with its first ``bits`` bits inverted (a near-duplicate)."""
    number = int(value, 16) ^ (((1 << bits) - 1) << (256 - bits))
    return f"{number:064x}"


@dataclass
class Story:
    node: Node
    pytx: PytxCli
    key: str  # Platform B's reader key: read-only
    reviewer_key: str
    other_reviewer_key: str  # Platform C's


class AccordPytx(PytxCli):
    """pytx with Accord's extension folder and an API key in its environment."""

    extension_path: Path | None = None
    key: str = ""

    def env(self) -> dict[str, str]:
        env = super().env()
        if self.extension_path is not None:
            env["PYTHONPATH"] = f"{self.extension_path}:{env['PYTHONPATH']}"
        env["TX_ACCORD_API_KEY"] = self.key
        return env


def _extension_folder(root: Path) -> Path:
    """A folder holding only ``accord/__init__.py`` and ``accord/pytx/``."""
    folder = root / "ext"
    (folder / "accord").mkdir(parents=True)
    shutil.copyfile(ROOT / "accord" / "__init__.py", folder / "accord" / "__init__.py")
    shutil.copytree(ROOT / "accord" / "pytx", folder / "accord" / "pytx",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _seed(node: Node) -> None:
    db, settings = node.db, node.settings
    for name, kind, country in (("Agency A", "agency", "FR"), ("Platform B", "platform", "IE"),
                                ("Platform C", "platform", "DE")):
        service.partner_add(db, OP, name, kind, country)
    for channel, member in (("ab", "Platform B"), ("ac", "Platform C")):
        service.channel_add(db, OP, channel, "Agency A")
        service.channel_join(db, OP, channel, member)
    banks.bank_add(db, OP, "a-ab", "Agency A", default_tlp="AMBER", channel="ab")
    banks.bank_add(db, OP, "a-ac", "Agency A", default_tlp="AMBER", channel="ac")
    banks.bank_add(db, OP, "a-red", "Agency A", default_tlp="RED", channel="ab")
    banks.bank_add(db, OP, "a-green", "Agency A", default_tlp="GREEN")
    for bank, value in (("a-ab", SEEN), ("a-ac", OTHER_CHANNEL), ("a-red", RED),
                        ("a-green", GREEN)):
        signals.signal_add(db, OP, bank, SignalInput("pdq", value, quality=100), settings)


@pytest.fixture(scope="module")
def story(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    folder = tmp_path_factory.mktemp("pytxext")
    node = sqlite_node("node-a", sqlite_template, folder / "node")
    _seed(node)
    key = node.key("Platform B", "pytx-b", "reader")
    reviewer = node.key("Platform B", "review-b", "reviewer")
    other = node.key("Platform C", "review-c", "reviewer")
    with serving(node):
        pytx = AccordPytx.make(folder / "pytx")
        pytx.extension_path, pytx.key = _extension_folder(folder), key
        pytx.ok("config", "extensions", "add", "accord.pytx")
        for collab, collection in (("accord-ab", "ab"), ("accord-green", "green")):
            pytx.ok("config", "collab", "edit", "accord", "--create", "--node-url", node.url,
                    "--collection", collection, collab)
        yield Story(node, pytx, key, reviewer, other)
    node.db.dispose()


def _held(pytx: PytxCli) -> set[str]:
    return {line.split()[-1] for line in pytx.ok("dataset", "-P", "-S").splitlines()
            if line.strip()}


def _match(pytx: PytxCli, value: str) -> subprocess.CompletedProcess[str]:
    return pytx.venv.run(pytx.venv.script("threatexchange"), "match", "--hashes", "photo", "-",
                         env=pytx.env(), input=value + "\n")


def test_extension_never_imports_the_rest_of_accord(story: Story) -> None:
    """Even with all of Accord on the path, importing the extension loads only itself."""
    code = ("import sys; import accord.pytx; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'accord'))")
    result = story.pytx.venv.run(story.pytx.venv.python, "-c", code,
                                 env={**story.pytx.env(), "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['accord', 'accord.pytx', 'accord.pytx.exchange']"


def test_extension_reads_accords_own_stix_extension() -> None:
    """The extension cannot import Accord's constant, so it spells it: the same."""
    source = (ROOT / "accord" / "pytx" / "exchange.py").read_text()
    assert f'EXTENSION_ID = "{EXTENSION_ID}"' in source


def test_fetch_brings_exactly_what_the_partner_may_see_and_match_finds_a_near_duplicate(
        story: Story) -> None:
    story.pytx.ok("fetch")
    assert _held(story.pytx) == {SEEN, GREEN}  # never RED, never channel ac's AMBER
    near = _flip(SEEN, 6)
    result = _match(story.pytx, near)
    assert result.returncode == 0, result.stderr
    assert "accord-ab" in result.stdout, result.stdout
    assert _match(story.pytx, _flip(SEEN, 128)).stdout.strip() == ""


def test_a_retraction_arrives_as_a_delete_on_the_next_fetch(story: Story) -> None:
    story.pytx.ok("fetch")
    target = next(s for s in signals.signal_list(story.node.db, OP, bank="a-ab")
                  if s.value == SEEN)
    signals.signal_retract(story.node.db, OP, target.id, "withdrawn for the test")
    story.pytx.ok("fetch")
    assert _held(story.pytx) == {GREEN}
    assert _match(story.pytx, SEEN).stdout.strip() == ""


def _report(story: Story, key: str, category: str, tags: set[str]) -> None:
    story.pytx.python(f"""
from threatexchange.exchanges.fetch_state import SignalOpinion, SignalOpinionCategory
from threatexchange.signal_type.pdq.signal import PdqSignal
from accord.pytx.exchange import AccordCollabConfig, AccordCredentials, AccordSignalExchangeAPI
collab = AccordCollabConfig(name="g", node_url={story.node.url!r}, collection="green")
api = AccordSignalExchangeAPI.for_collab(collab, AccordCredentials({key!r}))
api.report_opinion(PdqSignal, {GREEN!r},
                   SignalOpinion(True, SignalOpinionCategory.{category}, {tags!r}))
""")


def test_report_opinion_arrives_as_an_accord_opinion_and_a_quarantine_as_a_delete(
        story: Story) -> None:
    _report(story, story.reviewer_key, "NEGATIVE_CLASS", {"checked"})
    target = next(s for s in signals.signal_list(story.node.db, OP, bank="a-green"))
    given = opinions.opinion_list(story.node.db, OP, target.id)
    assert [(o.kind, o.note) for o in given] == [("false-positive", "checked")]
    # A second partner's dispute quarantines it (dispute_quarantine_partners = 2):
    # the holder must stop matching it, so the next fetch deletes it.
    _report(story, story.other_reviewer_key, "NEGATIVE_CLASS", set())
    assert signals.signal_get(story.node.db, OP, target.id).status == "quarantined"
    story.pytx.ok("fetch")
    assert _held(story.pytx) == set()


def test_a_read_only_key_may_not_give_opinions(story: Story) -> None:
    code = f"""
from threatexchange.exchanges.fetch_state import SignalOpinion, SignalOpinionCategory
from threatexchange.signal_type.pdq.signal import PdqSignal
from accord.pytx.exchange import AccordCollabConfig, AccordFetchError, AccordSignalExchangeAPI
collab = AccordCollabConfig(name="g", node_url={story.node.url!r}, collection="green")
api = AccordSignalExchangeAPI.for_collab(collab)
try:
    api.report_opinion(PdqSignal, {GREEN!r},
                       SignalOpinion(True, SignalOpinionCategory.POSITIVE_CLASS, set()))
except AccordFetchError as e:
    print("refused", e)
"""
    assert story.pytx.python(code).startswith("refused opinion refused: HTTP 403")


def test_a_cursor_that_does_not_move_forward_is_refused(story: Story) -> None:
    code = """
from accord.pytx.exchange import AccordCheckpoint, AccordFetchError, _advance
current = AccordCheckpoint(cursor=10)
for raw in ("10", "9", "", "x"):
    try:
        _advance(current, {"next": raw, "objects": []})
    except AccordFetchError as e:
        print("refused", raw)
print(_advance(current, {"next": "11", "objects": []}).cursor)
"""
    assert story.pytx.python(code).split("\n")[:-1] == [
        "refused 10", "refused 9", "refused ", "refused x", "11"]


def test_a_revoked_key_fetches_nothing_more(story: Story) -> None:
    service.key_revoke(story.node.db, OP, story.key[:12])
    result = story.pytx("fetch")
    assert result.returncode != 0
    assert "accord-ab - failed to fetch!" in result.stderr, result.stderr
    said = story.pytx.python(f"""
from accord.pytx.exchange import AccordCollabConfig, AccordFetchError, AccordSignalExchangeAPI
collab = AccordCollabConfig(name="g", node_url={story.node.url!r}, collection="green")
try:
    AccordSignalExchangeAPI.for_collab(collab).collection_id()
except AccordFetchError as e:
    print(e)
""")
    assert "HTTP 401" in said, said
