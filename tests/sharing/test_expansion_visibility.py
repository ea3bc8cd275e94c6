"""Query-side expansion asks the one visibility rule: more hashes, never more signals.

An uploaded picture is matched as up to fifteen PDQ hashes. Each goes through
``match_values``, so for every TLP and every relation a partner gets from an
expanded upload exactly the signals the visibility table (DESIGN.md section 5,
``tests/sharing/test_visibility.py``) lets it see: edited copies of a RED
picture find nothing for anyone but its owner and the operator.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.matching.engine import MatchEngine
from accord.matching.service import match_file, partner_viewer
from accord.matching.variants import ALL_VARIANTS
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.sharing.tlp import Tlp
from accord.signals.pdq import pdq_hash
from accord.store.database import Database

OP = Actor.operator()
# Who sees a signal of Agency A's bank shared into channel "ab" (Agency B is in it).
SEES = {
    Tlp.CLEAR: {"Agency A", "Agency B", "Platform P", None},
    Tlp.GREEN: {"Agency A", "Agency B", "Platform P", None},
    Tlp.AMBER: {"Agency A", "Agency B", None},
    Tlp.AMBER_STRICT: {"Agency A", "Agency B", None},
    Tlp.RED: {"Agency A", None},
}
VIEWERS = ("Agency A", "Agency B", "Platform P", None)  # None: the node operator


def _picture(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    small = Image.fromarray((rng.random((12, 16, 3)) * 255).astype(np.uint8))
    return np.asarray(small.resize((256, 192), Image.Resampling.BICUBIC))


def _edits(picture: np.ndarray) -> dict[str, np.ndarray]:
    boxed = np.zeros((picture.shape[0] + 160, picture.shape[1], 3), dtype=np.uint8)
    boxed[80:80 + picture.shape[0]] = picture
    return {"as-is": picture, "mirrored": np.ascontiguousarray(picture[:, ::-1]),
            "rotated": np.ascontiguousarray(np.rot90(picture)), "letterboxed": boxed}


def _png(rgb: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def marked(db: Database, settings: Settings) -> dict[Tlp, tuple[int, np.ndarray]]:
    """One bank per TLP (all variants on), each holding the PDQ of its own picture."""
    for name, kind in (("Agency A", "agency"), ("Agency B", "agency"),
                       ("Platform P", "platform")):
        service.partner_add(db, OP, name, kind, "FR")
    service.channel_add(db, OP, "ab", "Agency A")
    service.channel_join(db, OP, "ab", "Agency B")
    out = {}
    for seed, tlp in enumerate(Tlp):
        bank = f"a-{tlp.value.lower().replace('+', '-')}"
        banks.bank_add(db, OP, bank, "Agency A", default_tlp=tlp.value, channel="ab",
                       match_variants="all")
        picture = _picture(seed)
        value, _ = pdq_hash(picture)
        signal = signals.signal_add(db, OP, bank, SignalInput("pdq", value), settings)
        out[tlp] = (signal.id, picture)
    return out


@pytest.mark.parametrize("viewer", VIEWERS)
def test_an_expanded_upload_finds_only_what_the_viewer_may_see(
        db: Database, settings: Settings, marked: dict[Tlp, tuple[int, np.ndarray]],
        viewer: str | None) -> None:
    engine = MatchEngine.load(db, settings)
    who = partner_viewer(db, viewer)
    for tlp, (signal_id, picture) in marked.items():
        for edit, upload in _edits(picture).items():
            results = match_file(engine, who, _png(upload), settings,
                                 variants=frozenset(ALL_VARIANTS))
            found = {m.signal_id for r in results for m in r.matches}
            expected = {signal_id} if viewer in SEES[tlp] else set()
            assert found == expected, (tlp, edit, viewer)
            assert all(m.variant for r in results for m in r.matches)
