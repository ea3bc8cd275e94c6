"""``tmk``: TMK+PDQF, Meta's temporal match kernel video hash (what GIFCT and TCAP share).

The algorithm and the ``.tmk`` format are the ThreatExchange repository's
``tmk/cpp`` (BSD licence, copyright Meta Platforms, Inc. and affiliates);
Accord's numpy code for them is :mod:`accord.index.tmk_features` (file format,
scores) and :mod:`accord.media.tmk` (hashing a video with PyAV).

Canonical value: the ``.tmk`` file as ThreatExchange's ``HASH_TMK`` descriptors
carry it, the first 12 bytes as ASCII (``TMK1FVECPDQF``), ``|``, then base64 of
the rest: 351,125 characters for the reference parameters. ``validate`` also
accepts base64 of the whole file, with whitespace anywhere, and only
TMK+PDQF hashes made with the reference parameters (15 fps, periods 2731, 4391,
9767, 14653, the 32 Poullot coefficients, 256-float PDQF frames): those are the
hashes the reference hasher makes, and only hashes with equal parameters can be
compared.

Distance: ``ceil(1000 (1 - min(level-1, level-2)))`` (0-2000), so the default
threshold 300 is the reference's rule, level-1 >= 0.7 and level-2 >= 0.7
(``tmk_default_thresholds.h``); a threshold ``t`` reads "both scores at least
``1 - t/1000``". There is no quality.
"""

from __future__ import annotations

import functools
from typing import ClassVar

import numpy as np

from accord.errors import Phrase
from accord.index.tmk_features import (
    LEVEL_1_THRESHOLD,
    TmkFeatures,
    TmkFormatError,
    distance_of,
    from_text,
    level1,
    level2,
    read_tmk,
    threshold_for,
    to_text,
    write_tmk,
)
from accord.media.sniff import MediaKind
from accord.media.source import Media
from accord.media.tmk import hash_video, tmk_features
from accord.signals.base import (
    ContentHasher,
    HashOptions,
    HashResult,
    IndexKind,
    InvalidSignal,
    SignalType,
)


def features_of(value: str) -> TmkFeatures:
    """The feature vectors of a canonical (or any accepted) ``tmk`` value."""
    return read_tmk(from_text(value))


def scores(a: str, b: str) -> tuple[float, float]:
    """The reference's (level-1, level-2) scores of two ``tmk`` values."""
    fa, fb = features_of(a), features_of(b)
    return level1(fa, fb), level2(fa, fb)


class TmkSignal(SignalType, ContentHasher):
    """TMK+PDQF feature vectors of a video, as a ThreatExchange-encoded ``.tmk`` file."""

    name: ClassVar[str] = "tmk"
    index_kind: ClassVar[IndexKind] = "tmk_kernel"
    default_threshold: ClassVar[int] = threshold_for(LEVEL_1_THRESHOLD)  # 300
    bank_threshold: ClassVar[bool] = True
    bank_threshold_column: ClassVar[str] = "tmk_threshold"
    content_kinds: ClassVar[frozenset[MediaKind]] = frozenset({MediaKind.VIDEO})

    @classmethod
    def validate(cls, value: str) -> str:
        """ThreatExchange's text form of the ``.tmk`` bytes, after checking the file."""
        if not isinstance(value, str) or not value.strip():
            raise InvalidSignal.for_value(cls.name, value, Phrase("expected a .tmk file as text"))
        try:
            data = from_text(value)
            features = read_tmk(data)
        except TmkFormatError as err:
            raise InvalidSignal.for_value(cls.name, value, err.message) from None
        if not features.is_reference_pdqf():
            raise InvalidSignal.for_value(
                cls.name, value, Phrase(
                    "not a TMK+PDQF hash with the reference parameters (15 fps, periods "
                    "2731/4391/9767/14653, 32 Poullot coefficients, 256 PDQF floats)"))
        return to_text(data)

    @classmethod
    def distance(cls, a: str, b: str) -> int:
        """``ceil(1000 (1 - min(level-1, level-2)))``: 0 for identical videos."""
        return distance_of(*scores(a, b))

    @classmethod
    def examples(cls) -> list[str]:
        """Two made-up videos' hashes (features of seeded random frames)."""
        return list(_examples())

    @classmethod
    def hash_content(cls, media: Media, options: HashOptions) -> list[HashResult]:
        """Decode the video at 15 frames a second, 64 x 64, and compute TMK+PDQF."""
        return [HashResult(cls.name, to_text(write_tmk(hash_video(media))))]


@functools.cache
def _examples() -> tuple[str, str]:
    rng = np.random.default_rng(17)
    made = []
    for frames in (45, 90):
        drift = np.cumsum(rng.normal(size=(frames, 256)), axis=0).astype(np.float32)
        made.append(to_text(write_tmk(tmk_features(drift))))
    return made[0], made[1]
