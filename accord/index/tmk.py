"""The ``tmk_kernel`` index kind: exact level-1 cosine over all TMK signals, then level-2.

TMK+PDQF's two-level comparison (ThreatExchange ``tmk/cpp``, BSD licence; see
:mod:`accord.index.tmk_features`) as an index: the L2-normalised pure averages
of all signals are rows of one float32 matrix, so a query's level-1 scores are
one matrix product (exact, no approximation: every signal is scored, and the
engine then keeps those the viewer may see). Signals whose level-1 score
reaches the floor the search limit sets (``1 - limit/1000``) are verified with
the level-2 kernel score, in batches; the candidate distance is
``ceil(1000 (1 - min(level-1, level-2)))``, the ``tmk`` signal type's distance.

Memory: each signal keeps its cosine and sine features (262 KB of float32 for
the reference parameters), which level-2 reads; a snapshot stores them as
``.npy`` arrays that :meth:`TmkIndex.load` maps from disk rather than reads,
so a loaded index costs the pure averages (1 KB a signal) plus the pages the
verified candidates touch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

from accord.errors import Invalid
from accord.index.protocol import Candidate, SignalIndex
from accord.index.tmk_features import (
    COEFFICIENTS,
    FRAMES_PER_SECOND,
    PDQF_MAGIC,
    PERIODS,
    TmkFeatures,
    distance_of,
    from_text,
    level1_many,
    level2_many,
    read_tmk,
    score_floor,
    to_text,
    write_tmk,
)

_BATCH = 32  # candidates verified per level-2 batch (bounds the float64 temporaries)
_SNAPSHOT_FORMAT = "accord.tmk-index"
_SNAPSHOT_VERSION = 1
_HINT = "rebuild the index with: accord index build"


class TmkIndex(SignalIndex):
    """TMK+PDQF feature vectors by signal id, searched by level-1 then level-2 score."""

    kind: ClassVar[str] = "tmk_kernel"

    def __init__(self) -> None:
        self._features: dict[int, TmkFeatures] = {}
        self._row_of: dict[int, int] = {}
        self._ids = np.full(16, -1, dtype=np.int64)  # row -> signal id (-1: free)
        self._unit = np.zeros((16, 256), dtype=np.float32)  # row -> unit pure average
        self._free: list[int] = list(range(15, -1, -1))

    # ------------------------------------------------------------ writes

    def add(self, ids: Sequence[int], values: Sequence[str]) -> None:
        """Index canonical ``tmk`` values (replacing what an id had)."""
        for signal_id, value in zip(ids, values, strict=True):
            self._put(int(signal_id), read_tmk(from_text(value)))

    def remove(self, ids: Sequence[int]) -> None:
        """Forget ``ids``; unknown ids are ignored."""
        for signal_id in ids:
            row = self._row_of.pop(int(signal_id), None)
            if row is None:
                continue
            del self._features[int(signal_id)]
            self._ids[row] = -1
            self._unit[row] = 0.0
            self._free.append(row)

    def _put(self, signal_id: int, features: TmkFeatures) -> None:
        if features.dimension != self._unit.shape[1]:
            raise Invalid("TMK signal {signal_id} has {dimension}-float features; this index "
                          "holds {shape}", signal_id=signal_id, dimension=features.dimension,
                          shape=self._unit.shape[1])
        self.remove([signal_id])
        if not self._free:
            self._grow()
        row = self._free.pop()
        self._row_of[signal_id] = row
        self._features[signal_id] = features
        self._ids[row] = signal_id
        self._unit[row] = _unit(features.pure_average)

    def _grow(self) -> None:
        old = len(self._ids)
        self._ids = np.concatenate([self._ids, np.full(old, -1, dtype=np.int64)])
        self._unit = np.concatenate([self._unit, np.zeros_like(self._unit)])
        self._free.extend(range(2 * old - 1, old - 1, -1))

    # ------------------------------------------------------------ reads

    def search(self, value: str, limit: int) -> list[Candidate]:
        """``(signal id, distance)`` of signals within ``limit``, closest first."""
        return self.search_features(read_tmk(from_text(value)), limit)

    def search_features(self, query: TmkFeatures, limit: int) -> list[Candidate]:
        """:meth:`search` for parsed features."""
        scored = self.scores(query, score_floor(limit))
        found = sorted((distance_of(s1, s2), i) for i, s1, s2 in scored)
        return [(i, d) for d, i in found if d <= limit]

    def scores(self, query: TmkFeatures, floor: float) -> list[tuple[int, float, float]]:
        """``(id, level-1, level-2)`` of every signal whose level-1 score reaches ``floor``."""
        if not self._row_of:
            return []
        level1 = self._unit @ _unit(query.pure_average).astype(np.float32)
        rows = np.flatnonzero((level1 >= floor - 1e-4) & (self._ids >= 0))
        out: list[tuple[int, float, float]] = []
        for start in range(0, len(rows), _BATCH):
            batch = rows[start:start + _BATCH]
            ids = self._ids[batch].tolist()
            others = [self._features[i] for i in ids]
            # The float32 product only preselects; scores are recomputed in float64.
            exact = level1_many(query.pure_average, np.stack([o.pure_average for o in others]))
            level2 = level2_many(query, others)
            out += [(i, float(s1), float(s2))
                    for i, s1, s2 in zip(ids, exact, level2, strict=True)]
        return out

    def size(self) -> int:
        """How many signals the index holds."""
        return len(self._row_of)

    def items(self) -> list[tuple[int, str]]:
        """(id, canonical value) pairs, sorted by id."""
        return [(i, to_text(write_tmk(self._features[i]))) for i in sorted(self._features)]

    # ------------------------------------------------------------ snapshots

    def save(self, folder: Path) -> None:
        """Write the ids, headers and feature arrays (``.npy``, no pickle) into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        ids = sorted(self._features)
        meta = {"format": _SNAPSHOT_FORMAT, "version": _SNAPSHOT_VERSION, "signals": [
            [i, self._features[i].frame_count] for i in ids]}
        arrays = {
            "averages": _stack([self._features[i].pure_average for i in ids], (256,)),
            "cos": _stack([self._features[i].cos for i in ids], (4, 32, 256)),
            "sin": _stack([self._features[i].sin for i in ids], (4, 32, 256)),
        }
        for name, array in arrays.items():
            with open(folder / f".{name}.npy.tmp", "wb") as handle:
                np.save(handle, array, allow_pickle=False)
            (folder / f".{name}.npy.tmp").replace(folder / f"{name}.npy")
        (folder / ".tmk.json.tmp").write_text(json.dumps(meta))
        (folder / ".tmk.json.tmp").replace(folder / "tmk.json")

    @classmethod
    def load(cls, folder: Path) -> Self:
        """The index :meth:`save` left in ``folder``; :class:`Invalid` if unreadable."""
        meta = _read_meta(folder / "tmk.json")
        try:
            arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
                      for name in ("averages", "cos", "sin")}
            signals = [(int(i), int(count)) for i, count in meta["signals"]]
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise Invalid("{folder} holds no readable TMK index snapshot ({err})", hint=_HINT,
                          folder=folder, err=err) from None
        if any(len(a) != len(signals) for a in arrays.values()):
            raise Invalid("{folder}: the TMK snapshot's arrays and ids disagree", hint=_HINT,
                          folder=folder)
        periods = np.array(PERIODS, dtype=np.int32)
        index = cls()
        for row, (signal_id, count) in enumerate(signals):
            index._put(signal_id, TmkFeatures(
                PDQF_MAGIC, FRAMES_PER_SECOND, count, periods, COEFFICIENTS,
                arrays["averages"][row], arrays["cos"][row], arrays["sin"][row]))
        return index


def _unit(vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norm = float(np.linalg.norm(vector.astype(np.float64)))
    return (vector / norm).astype(np.float32) if norm > 0 else np.zeros_like(vector)


def _stack(parts: list[Any], shape: tuple[int, ...]) -> npt.NDArray[np.float32]:
    if not parts:
        return np.zeros((0, *shape), dtype=np.float32)
    return np.ascontiguousarray(np.stack(parts), dtype="<f4")


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        data: Any = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise Invalid("{path} is not a readable index snapshot: {err}", hint=_HINT, path=path,
                      err=err) from None
    if not isinstance(data, dict) or data.get("format") != _SNAPSHOT_FORMAT:
        raise Invalid("{path} is not a {snapshot_format} snapshot", hint=_HINT, path=path,
                      snapshot_format=_SNAPSHOT_FORMAT)
    if data.get("version") != _SNAPSHOT_VERSION:
        raise Invalid("{path} is snapshot version {version!r}; this Accord reads version "
                      "{snapshot_version}", hint=_HINT, path=path, version=data.get('version'),
                      snapshot_version=_SNAPSHOT_VERSION)
    return data
