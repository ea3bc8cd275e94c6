"""The index kinds by name: what a signal type's ``index_kind`` may say.

Each name maps to a :class:`~accord.index.protocol.SignalIndex` class. The
match engine makes one index per signal type with :func:`new_index`, so a
signal type plug-in only names one of these kinds to be stored, exported and
matched; it never edits the engine.
"""

from __future__ import annotations

from accord.errors import Invalid
from accord.index.exact import ExactIndex
from accord.index.hamming import HammingIndex
from accord.index.protocol import SignalIndex
from accord.index.tlsh import TlshIndex
from accord.index.tmk import TmkIndex
from accord.index.video import VideoIndex

INDEX_KINDS: dict[str, type[SignalIndex]] = {
    cls.kind: cls for cls in (ExactIndex, HammingIndex, VideoIndex, TlshIndex, TmkIndex)
}


def index_class(kind: str) -> type[SignalIndex]:
    """The index class of kind ``kind``; :class:`Invalid` naming the known kinds if none."""
    try:
        return INDEX_KINDS[kind]
    except KeyError:
        raise Invalid("unknown index kind {kind!r}; known kinds: {index_kinds}",
                      hint="a signal type's index_kind must name one of these", kind=kind,
                      index_kinds=', '.join(INDEX_KINDS)) from None


def new_index(kind: str) -> SignalIndex:
    """An empty index of kind ``kind``."""
    return index_class(kind)()


def index_kind_names() -> list[str]:
    """Names of the index kinds, sorted."""
    return sorted(INDEX_KINDS)
