"""The UI's match page: an uploaded picture's matches show the variant that hit."""

from __future__ import annotations

import io
import time

import numpy as np
from PIL import Image

from accord.config import Settings
from accord.curation import signals
from accord.curation.signals import SignalInput
from accord.sharing.roles import Actor
from accord.signals.pdq import pdq_hash
from tests.web.conftest import Browser


def _picture() -> np.ndarray:
    rng = np.random.default_rng(11)
    small = Image.fromarray((rng.random((12, 16, 3)) * 255).astype(np.uint8))
    return np.asarray(small.resize((256, 192), Image.Resampling.BICUBIC))


def test_a_mirrored_upload_shows_its_variant(web: Browser, settings: Settings) -> None:
    picture = _picture()
    value, _ = pdq_hash(picture)
    signal = signals.signal_add(web.db, Actor.operator(), "a-images", SignalInput("pdq", value),
                                settings)
    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(picture[:, ::-1])).save(out, "PNG")
    web.sign_in("bea")
    for _ in range(100):  # the node's engine follows the change feed every 0.05 s
        page = web.post("/match/file", {"content_ref": ""}, from_page="/match",
                        files={"file": ("mirrored.png", out.getvalue())})
        html = page.text  # type: ignore[attr-defined]
        if f'href="/signals/{signal.id}"' in html:
            break
        time.sleep(0.05)
    assert f'href="/signals/{signal.id}"' in html
    assert "<th scope=\"col\">Variant</th>" in html and "<td>flipy</td>" in html
