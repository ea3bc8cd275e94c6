"""Per-signal metadata in arrays indexed by signal id: what visibility and results need.

About 14 bytes a signal, instead of a Python object each: owner, channel, bank
and TLP for the visibility rule, and the signal type (as a position in
``kinds``) so that a removal knows which index to update.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.sharing.tlp import Tlp

TLPS = tuple(t.value for t in Tlp)
ARRAYS = ("owner", "channel", "bank", "tlp", "kind")


@dataclass(frozen=True, slots=True)
class SignalMeta:
    """What visibility and results need of an indexed signal."""

    owner_partner_id: int
    tlp: str
    channel_id: int | None
    bank_id: int
    signal_type: str


class Columns:
    """Metadata arrays indexed by signal id; ``tlp`` -1 means "not indexed"."""

    def __init__(self) -> None:
        self.owner = np.zeros(0, dtype=np.int32)
        self.channel = np.zeros(0, dtype=np.int32)   # 0: no channel (ids start at 1)
        self.bank = np.zeros(0, dtype=np.int32)
        self.tlp = np.full(0, -1, dtype=np.int8)     # -1: not indexed
        self.kind = np.zeros(0, dtype=np.int8)
        self.kinds: list[str] = []

    def _grow(self, top: int) -> None:
        if top < len(self.owner):
            return
        size = max(top + 1, 2 * len(self.owner), 1024)
        for name in ("owner", "channel", "bank", "kind"):
            old = getattr(self, name)
            new = np.zeros(size, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)
        tlp = np.full(size, -1, dtype=np.int8)
        tlp[: len(self.tlp)] = self.tlp
        self.tlp = tlp

    def set(self, signal_id: int, owner: int, tlp: str, channel: int | None, bank: int,
            kind: str) -> None:
        """Record an indexed signal's metadata."""
        self._grow(signal_id)
        if kind not in self.kinds:
            self.kinds.append(kind)
        self.owner[signal_id], self.channel[signal_id] = owner, channel or 0
        self.bank[signal_id], self.tlp[signal_id] = bank, TLPS.index(tlp)
        self.kind[signal_id] = self.kinds.index(kind)

    def clear(self, signal_id: int) -> None:
        """Mark ``signal_id`` as not indexed."""
        if signal_id < len(self.tlp):
            self.tlp[signal_id] = -1

    def meta(self, signal_id: int) -> SignalMeta | None:
        """The metadata of an indexed signal; ``None`` if it is not indexed."""
        if signal_id >= len(self.tlp) or self.tlp[signal_id] < 0:
            return None
        channel = int(self.channel[signal_id])
        return SignalMeta(int(self.owner[signal_id]), TLPS[self.tlp[signal_id]],
                          channel or None, int(self.bank[signal_id]),
                          self.kinds[self.kind[signal_id]])
