"""Exact PDQ radius search by brute force with PyTorch: the retro-scan's GPU path.

A GPU compares every query with every indexed hash faster than the CPU can
probe a multi-index table, so when a CUDA device is present ``accord scan``
hands PDQ batches to :class:`TorchSearcher` instead of :class:`PdqIndex`.
The answer is the same set, in the same order (distance, then id): this is
brute force, so it is exact by construction, and the tests compare it with
the CPU index on random and clustered data.

The kernel works on any torch device, so the tests run it on the CPU where no
GPU is present. Hashes are held as eight 32-bit words in int64 lanes (torch has
no popcount, and no unsigned 64-bit shifts): XOR, a SWAR popcount per word, a
sum per pair, a threshold, ``nonzero``. Queries and hashes are cut into blocks
so a block's temporaries stay within ``block_bytes``.

PyTorch is an optional extra (``pip install -e '.[gpu]'``): Accord never needs
it, and importing this module does not import torch.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np
import numpy.typing as npt

from accord.errors import Invalid
from accord.index.codes import CODE_BYTES, as_codes, as_ids, as_radius

Result = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]

# Bytes of temporaries one block may use: (queries x hashes x 8 words x 8 bytes).
DEFAULT_BLOCK_BYTES = 1 << 28
_WORDS = CODE_BYTES // 4


def torch_available() -> bool:
    """Whether PyTorch is installed (the ``gpu`` extra)."""
    return importlib.util.find_spec("torch") is not None


def cuda_available() -> bool:
    """Whether PyTorch is installed and sees a CUDA device."""
    if not torch_available():
        return False
    import torch

    return bool(torch.cuda.is_available())


def _torch() -> Any:
    if not torch_available():
        raise Invalid("PyTorch is not installed", hint="pip install -e '.[gpu]'")
    import torch

    return torch


def _words(codes: npt.NDArray[np.uint8]) -> npt.NDArray[np.int64]:
    """(n, 32) bytes -> (n, 8) int64 lanes, each holding one 32-bit word."""
    return np.ascontiguousarray(codes).view(np.uint32).reshape(-1, _WORDS).astype(np.int64)


class TorchSearcher:
    """Every hash within a radius of each query, by brute force on a torch device."""

    def __init__(self, ids: npt.NDArray[np.int64], hashes: npt.NDArray[np.uint8],
                 device: str = "cuda", *, block_bytes: int = DEFAULT_BLOCK_BYTES) -> None:
        torch = _torch()
        ids = as_ids(ids)
        hashes = as_codes(hashes, "hashes")
        if ids.shape[0] != hashes.shape[0]:
            raise Invalid("{shape} ids for {shape_2} hashes", shape=ids.shape[0],
                          shape_2=hashes.shape[0])
        try:
            self.device = torch.device(device)
            if self.device.type == "cuda" and not torch.cuda.is_available():
                raise Invalid("no CUDA device for {device!r}",
                              hint="run without --gpu, or on a machine with a GPU", device=device)
            self.ids = torch.from_numpy(ids.copy()).to(self.device)
            self.codes = torch.from_numpy(_words(hashes)).to(self.device)
        except RuntimeError as error:
            raise Invalid("torch device {device!r} is not usable: {error}", device=device,
                          error=error) from None
        self.block_bytes = block_bytes

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def search_many(self, queries: npt.NDArray[np.uint8], radius: int) -> list[Result]:
        """For each query: ids and distances within ``radius``, by distance then id."""
        torch = _torch()
        radius = as_radius(radius)
        q = torch.from_numpy(_words(as_codes(queries, "queries"))).to(self.device)
        n, m = len(self), int(q.shape[0])
        if n == 0 or m == 0:
            return [(np.zeros(0, np.int64), np.zeros(0, np.int64)) for _ in range(m)]
        per_pair = _WORDS * 8 * 3  # the xor and two temporaries of the popcount
        q_block = max(1, min(m, 256, self.block_bytes // (per_pair * min(n, 1 << 16))))
        c_block = max(1, min(n, self.block_bytes // (per_pair * q_block)))
        found_q, found_row, found_d = [], [], []
        for qs in range(0, m, q_block):
            qb = q[qs:qs + q_block]
            for cs in range(0, n, c_block):
                d = _distances(qb, self.codes[cs:cs + c_block])
                qi, ci = torch.nonzero(d <= radius, as_tuple=True)
                if qi.numel():
                    found_q.append(qi + qs)
                    found_row.append(ci + cs)
                    found_d.append(d[qi, ci])
        if not found_q:
            return [(np.zeros(0, np.int64), np.zeros(0, np.int64)) for _ in range(m)]
        qi = torch.cat(found_q).cpu().numpy()
        dist = torch.cat(found_d).cpu().numpy().astype(np.int64)
        ids = self.ids[torch.cat(found_row)].cpu().numpy()
        order = np.lexsort((ids, dist, qi))
        qi, ids, dist = qi[order], ids[order], dist[order]
        cuts = np.searchsorted(qi, np.arange(1, m))
        return list(zip(np.split(ids, cuts), np.split(dist, cuts), strict=True))


def _distances(queries: Any, codes: Any) -> Any:
    """Hamming distances (queries x codes) of 32-bit words held in int64 lanes."""
    x = queries[:, None, :] ^ codes[None, :, :]
    x = x - ((x >> 1) & 0x55555555)
    x = (x & 0x33333333) + ((x >> 2) & 0x33333333)
    x = (x + (x >> 4)) & 0x0F0F0F0F
    x = ((x * 0x01010101) & 0xFFFFFFFF) >> 24
    return x.sum(dim=2)
