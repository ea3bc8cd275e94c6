"""Match indexes: one ``SignalIndex`` protocol, and an index kind per way of matching.

``protocol.py`` states what the match engine asks of an index (add, remove,
search, batch search, bulk load, snapshots); ``registry.py`` maps the kind
names signal types declare in ``index_kind`` to the classes: ``exact.py``
(value -> ids), ``hamming.py`` (the adapter over :class:`PdqIndex`),
``video.py`` (vPDQ over every frame) and ``tlsh.py`` (a linear TLSH scan).

``pdq.py`` holds :class:`PdqIndex`, the exact Hamming-radius index over 256-bit
PDQ hashes (multi-index hashing, hot loops in the C extension ``_mih``), with
incremental add/remove and memory-mappable snapshots. ``codes.py`` has the
array conversions and the brute-force reference every index is tested against.
``docs/matching-index.md`` explains the design, the exactness argument and the
measured figures.

Dependency rule: this package imports no fastapi, typer, jinja2, accord.api,
accord.web or accord.cli.
"""

from __future__ import annotations

from accord.index.codes import brute_force, hex_to_array
from accord.index.pdq import PdqIndex

__all__ = ["PdqIndex", "brute_force", "hex_to_array"]
