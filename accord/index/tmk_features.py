"""TMK+PDQF feature vectors: the reference ``.tmk`` file format and the two pair scores.

TMK (temporal match kernel) is Meta's fixed-length video hash, published with
FAIR in the ThreatExchange repository (``tmk/cpp``, BSD licence, copyright Meta
Platforms, Inc. and affiliates). This module is Accord's own numpy code for the
parts of it that hold and compare hashes; the hashing pipeline is
:mod:`accord.media.tmk`. After the reference (``io/tmkiotypes.h``,
``algo/tmkfv.cpp``):

- A ``.tmk`` file is a 32-byte header: the magics ``TMK1``, ``FVEC`` and the
  frame-feature algorithm (``PDQF``), then five little-endian int32s: frames per
  second, number of periods ``P``, number of Fourier coefficients ``C``, feature
  dimension ``D``, frame count. Then ``P`` int32 periods, ``C`` float32
  coefficients, the ``D`` float32 *pure average* (mean frame feature), and the
  ``P x C x D`` float32 cosine features followed by the ``P x C x D`` sine features.
  With the reference parameters (15 fps, periods 2731, 4391, 9767, 14653, the 32
  Poullot coefficients, ``D`` = 256) a file is 263,344 bytes.
- The **level-1 score** is the cosine similarity of the pure averages (-1..1).
- The **level-2 score** is the best time-offset kernel value: for each period
  ``T`` and each offset ``0..T-1`` (``delta = 2 pi offset / T``)
  ``K = cc_0 + sum_j cos(j delta)(cc_j + ss_j) + sin(j delta)(sc_j - cs_j)`` over
  the dot products of the two videos' cosine/sine features, maximised over
  offsets and periods and divided by ``a_0 + 2 sum_j a_j`` (0..1).
- Two videos match when level-1 >= 0.7 and level-2 >= 0.7
  (``bin/tmk_default_thresholds.h``).

ThreatExchange carries a ``.tmk`` as text (``HASH_TMK`` descriptors, see
``te-tag-query``'s ``Utils.java``): the first 12 bytes as ASCII, ``|``, then
base64 of the rest. That is the text form here (:func:`to_text`).
"""

from __future__ import annotations

import base64
import binascii
import functools
import math
import struct
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.errors import Invalid

Floats = npt.NDArray[np.float32]

PROJECT_MAGIC = b"TMK1"
FVEC_MAGIC = b"FVEC"
PDQF_MAGIC = b"PDQF"
OTHER_MAGICS = {b"VSTR": "a decoded video stream (.vstr)", b"FEAT": "frame features (.feat)"}
HEADER = struct.Struct("<4s4s4s5i")
TEXT_PREFIX_BYTES = 12  # ThreatExchange's text form keeps this much of the header as ASCII

FRAMES_PER_SECOND = 15
PERIODS = (2731, 4391, 9767, 14653)
# The Poullot coefficients a_j = I_j(beta) / sinh(beta) (a_0 halved, less exp(-beta)),
# m = beta = 32, as tabulated in the reference's makePoullotFourierCoefficients.
COEFFICIENTS = np.array([
    0.0708041893112, 0.13937789309, 0.132897260304, 0.122765735552, 0.109878684888,
    0.09529606433, 0.0800986647852, 0.0652590650356, 0.0515478238322, 0.0394851531195,
    0.0293374252025, 0.0211492623679, 0.0147973073245, 0.0100512818746, 0.0066306408014,
    0.00424947117334, 0.0026467615764, 0.00160270959695, 0.000943882629639,
    0.000540841638603, 0.000301633183798, 0.000163800158855, 8.66454753015e-05,
    4.46626303151e-05, 2.24429442235e-05, 1.09982139799e-05, 5.25823487999e-06,
    2.45358229988e-06, 1.11781474895e-06, 4.97406489221e-07, 2.16265487234e-07,
    9.19087006565e-08], dtype=np.float32)
FEATURE_DIMENSION = 256
LEVEL_1_THRESHOLD = 0.7
LEVEL_2_THRESHOLD = 0.7
# Sanity bounds on a file's declared shape, so a foreign header cannot ask for gigabytes.
_MAX_PERIODS, _MAX_COEFFICIENTS, _MAX_DIMENSION, _MAX_PERIOD = 64, 1024, 4096, 1_000_000


class TmkFormatError(Invalid):
    """Bytes or text that are not a readable TMK feature-vector (``.tmk``) file."""

    title = "Invalid TMK file"


_HINT = ("give the .tmk file tmk-hash-video (or accord hash --types tmk) wrote, "
         "unchanged; videos themselves are hashed with accord hash")


@dataclass(frozen=True, slots=True, eq=False)
class TmkFeatures:
    """One video's TMK feature vectors, as a ``.tmk`` file holds them."""

    algorithm: bytes
    frames_per_second: int
    frame_count: int
    periods: npt.NDArray[np.int32]
    coefficients: Floats
    pure_average: Floats
    cos: Floats  # (P, C, D)
    sin: Floats  # (P, C, D)

    @property
    def dimension(self) -> int:
        """The frame-feature dimension ``D`` (256 for PDQF)."""
        return int(self.pure_average.shape[0])

    def is_reference_pdqf(self) -> bool:
        """Whether the file uses the reference TMK+PDQF parameters (fps, periods, coefficients)."""
        return (self.algorithm == PDQF_MAGIC and self.frames_per_second == FRAMES_PER_SECOND
                and tuple(self.periods.tolist()) == PERIODS
                and self.coefficients.shape == COEFFICIENTS.shape
                and bool(np.all(np.abs(self.coefficients - COEFFICIENTS)
                                <= 1e-6 * np.abs(COEFFICIENTS)))
                and self.dimension == FEATURE_DIMENSION)


def read_tmk(data: bytes, *, name: str = "TMK data") -> TmkFeatures:
    """Parse the bytes of a ``.tmk`` file; :class:`TmkFormatError` naming what is wrong."""
    if len(data) < HEADER.size:
        raise TmkFormatError("{name} is {data_count} bytes, shorter than the {size}-byte .tmk "
                             "header", hint=_HINT, name=name, data_count=len(data),
                             size=HEADER.size)
    project, filetype, algorithm, fps, periods, coeffs, dim, count = HEADER.unpack_from(data)
    if project != PROJECT_MAGIC:
        raise TmkFormatError("{name} does not start with the TMK magic 'TMK1' (found "
                             "{project!r}): not a .tmk file", hint=_HINT, name=name,
                             project=project)
    if filetype != FVEC_MAGIC:
        what = OTHER_MAGICS.get(filetype, f"file type {filetype!r}")
        raise TmkFormatError("{name} is a TMK file of {what}, not feature vectors (FVEC)",
                             hint=_HINT, name=name, what=what)
    if not (0 <= periods <= _MAX_PERIODS and 0 <= coeffs <= _MAX_COEFFICIENTS
            and 0 < dim <= _MAX_DIMENSION and fps > 0 and count >= 0):
        raise TmkFormatError("{name} declares an impossible shape: {periods} periods, {coeffs} "
                             "coefficients, dimension {dim}, {fps} fps, {count} frames", hint=_HINT,
                             name=name, periods=periods, coeffs=coeffs, dim=dim, fps=fps,
                             count=count)
    floats = coeffs + dim + 2 * periods * coeffs * dim
    expected = HEADER.size + 4 * periods + 4 * floats
    if len(data) != expected:
        state = "truncated" if len(data) < expected else "longer than its header says"
        raise TmkFormatError("{name} is {state}: {data_count} bytes, expected {expected} for "
                             "{periods} periods x {coeffs} coefficients x {dim}", hint=_HINT,
                             name=name, state=state, data_count=len(data), expected=expected,
                             periods=periods, coeffs=coeffs, dim=dim)
    offset = HEADER.size
    period_values = np.frombuffer(data, "<i4", periods, offset).astype(np.int32)
    if periods and not (period_values.min() > 0 and period_values.max() <= _MAX_PERIOD):
        raise TmkFormatError("{name} has a period outside 1-{max_period}", hint=_HINT, name=name,
                             max_period=_MAX_PERIOD)
    values = np.frombuffer(data, "<f4", floats, offset + 4 * periods).astype(np.float32)
    if not np.isfinite(values).all():
        raise TmkFormatError("{name} holds non-finite numbers (NaN or infinity)", hint=_HINT,
                             name=name)
    shape = (periods, coeffs, dim)
    block = periods * coeffs * dim
    start = coeffs + dim
    return TmkFeatures(
        algorithm=algorithm, frames_per_second=fps, frame_count=count,
        periods=period_values, coefficients=values[:coeffs],
        pure_average=values[coeffs:start],
        cos=values[start:start + block].reshape(shape),
        sin=values[start + block:].reshape(shape))


def write_tmk(features: TmkFeatures) -> bytes:
    """The ``.tmk`` file bytes of ``features`` (what :func:`read_tmk` reads back)."""
    periods, coeffs, dim = features.cos.shape
    header = HEADER.pack(PROJECT_MAGIC, FVEC_MAGIC, features.algorithm,
                         features.frames_per_second, periods, coeffs, dim,
                         features.frame_count)
    parts = [features.periods.astype("<i4"), features.coefficients, features.pure_average,
             features.cos, features.sin]
    return header + b"".join(np.ascontiguousarray(p, dtype=p.dtype.newbyteorder("<"))
                             .tobytes() for p in parts)


def to_text(data: bytes) -> str:
    """ThreatExchange's text form of ``.tmk`` bytes: 12 ASCII header bytes, ``|``, base64."""
    head = data[:TEXT_PREFIX_BYTES].decode("ascii")
    return head + "|" + base64.b64encode(data[TEXT_PREFIX_BYTES:]).decode("ascii")


def from_text(text: str, *, name: str = "TMK value") -> bytes:
    """The ``.tmk`` bytes of a text value: ThreatExchange's form, or base64 of the whole file.

    Whitespace anywhere is ignored (base64 is often wrapped)."""
    compact = "".join(text.split())
    head, bar, rest = compact.partition("|")
    try:
        if bar:
            if len(head) != TEXT_PREFIX_BYTES or not head.isascii():
                raise TmkFormatError("{name}: expected {text_prefix_bytes} ASCII header "
                                     "characters before '|', got {head_count}", hint=_HINT,
                                     name=name, text_prefix_bytes=TEXT_PREFIX_BYTES,
                                     head_count=len(head))
            return head.encode("ascii") + base64.b64decode(rest, validate=True)
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as err:
        raise TmkFormatError("{name}: not base64 ({err})", hint=_HINT, name=name, err=err) from None


# ---------------------------------------------------------------- scores


def level1(a: TmkFeatures, b: TmkFeatures) -> float:
    """Cosine similarity of the pure averages (0 when either is all zeros)."""
    return float(level1_many(a.pure_average, b.pure_average[None, :])[0])


def level1_many(query: Floats, averages: Floats) -> npt.NDArray[np.float64]:
    """Level-1 scores of one pure average against the rows of ``averages``."""
    q = query.astype(np.float64)
    rows = averages.astype(np.float64)
    norms = np.linalg.norm(rows, axis=1) * np.linalg.norm(q)
    dots = rows @ q
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(norms > 0, dots / np.where(norms > 0, norms, 1.0), 0.0)


def level2(a: TmkFeatures, b: TmkFeatures) -> float:
    """The normalised best-offset kernel score of two compatible videos (0..1)."""
    check_compatible(a, b)
    return float(level2_many(a, [b])[0])


def level2_many(query: TmkFeatures, others: list[TmkFeatures]) -> npt.NDArray[np.float64]:
    """Level-2 scores of ``query`` against each of ``others`` (all compatible with it)."""
    if not others or query.cos.shape[0] == 0 or query.cos.shape[1] == 0:
        return np.zeros(len(others))
    cos_b = np.stack([o.cos for o in others]).astype(np.float64)  # (n, P, C, D)
    sin_b = np.stack([o.sin for o in others]).astype(np.float64)
    cos_a, sin_a = query.cos.astype(np.float64), query.sin.astype(np.float64)
    cc = np.einsum("pcd,npcd->npc", cos_a, cos_b)
    ss = np.einsum("pcd,npcd->npc", sin_a, sin_b)
    sc = np.einsum("pcd,npcd->npc", sin_a, cos_b)
    cs = np.einsum("pcd,npcd->npc", cos_a, sin_b)
    best = np.full(len(others), -np.inf)
    for p, period in enumerate(query.periods.tolist()):
        cos_t, sin_t = _offset_tables(int(period), cc.shape[2])
        kernel = (cc[:, p, :1].T + cos_t @ (cc[:, p, 1:] + ss[:, p, 1:]).T
                  + sin_t @ (sc[:, p, 1:] - cs[:, p, 1:]).T)  # (offsets, n)
        best = np.maximum(best, kernel.max(axis=0))
    return best / pair_score_normalizer(query.coefficients)


def pair_score_normalizer(coefficients: Floats) -> float:
    """``a_0 + 2 sum_{j>0} a_j``: a video's level-2 kernel value with itself."""
    if coefficients.size == 0:
        return 1.0
    return float(coefficients[0]) + 2.0 * float(coefficients[1:].astype(np.float64).sum())


@functools.lru_cache(maxsize=8)
def _offset_tables(period: int, coefficients: int) -> tuple[npt.NDArray[np.float64], ...]:
    # cos(j delta), sin(j delta) for every offset of the period and j = 1..C-1.
    delta = 2.0 * math.pi * np.arange(period, dtype=np.float64) / period
    arg = np.outer(delta, np.arange(1, coefficients, dtype=np.float64))
    return np.cos(arg), np.sin(arg)


def check_compatible(a: TmkFeatures, b: TmkFeatures) -> None:
    """Raise :class:`TmkFormatError` unless ``a`` and ``b`` were made with the same parameters."""
    problems = []
    if a.algorithm != b.algorithm:
        problems.append(f"algorithm {a.algorithm!r} != {b.algorithm!r}")
    if a.frames_per_second != b.frames_per_second:
        problems.append(f"frames per second {a.frames_per_second} != {b.frames_per_second}")
    if a.periods.tolist() != b.periods.tolist():
        problems.append(f"periods {a.periods.tolist()} != {b.periods.tolist()}")
    if a.coefficients.shape != b.coefficients.shape or not np.allclose(
            a.coefficients, b.coefficients, rtol=1e-6, atol=0):
        problems.append("Fourier coefficients differ")
    if a.dimension != b.dimension:
        problems.append(f"feature dimension {a.dimension} != {b.dimension}")
    if problems:
        raise TmkFormatError("the two TMK hashes cannot be compared: {problems}",
                             hint="both must be TMK+PDQF hashes made with the same parameters",
                             problems="; ".join(problems))


# ---------------------------------------------------------------- distances

DISTANCE_SCALE = 1000
"""Distances are thousandths of a score below a perfect 1.0 (see :func:`distance_of`)."""


def distance_of(level1_score: float, level2_score: float) -> int:
    """Accord's integer distance for a pair's two scores: ``ceil(1000 (1 - min(l1, l2)))``.

    A threshold ``t`` on it is the reference's two-level rule with both
    thresholds ``1 - t / 1000``: distance <= 300 exactly when level-1 >= 0.7 and
    level-2 >= 0.7. 0 is a perfect match; 2000 the farthest (level-1 = -1).
    """
    shortfall = DISTANCE_SCALE * (1.0 - min(level1_score, level2_score))
    # The slack (a millionth of a score) absorbs float32 rounding: a video is 0 from itself.
    return int(min(2 * DISTANCE_SCALE, max(0, math.ceil(shortfall - 1e-3))))


def score_floor(limit: int) -> float:
    """The lowest level-1 and level-2 score a distance ``limit`` admits."""
    return 1.0 - limit / DISTANCE_SCALE


def threshold_for(score: float) -> int:
    """The distance limit that admits pairs whose two scores both reach ``score``."""
    return round(DISTANCE_SCALE * (1.0 - score))
