"""The retro-scan's GPU kernel (brute force in PyTorch) answers exactly as the CPU index.

It runs on any torch device, so it is checked on the CPU wherever PyTorch is
installed, and on CUDA as well where a device is present.
"""

from __future__ import annotations

import numpy as np
import pytest

from accord.index import PdqIndex
from accord.index.gpu import TorchSearcher, cuda_available, torch_available

pytestmark = pytest.mark.skipif(not torch_available(),
                                reason="PyTorch is not installed (pip install -e '.[gpu]')")
DEVICES = ["cpu", "cuda"] if torch_available() and cuda_available() else ["cpu"]


def clustered(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hashes around 20 centres with 0-40 flipped bits, and queries near and far."""
    centres = rng.integers(0, 256, size=(20, 32), dtype=np.uint8)
    rows = []
    for i in range(3_000):
        code = centres[i % 20].copy()
        for bit in rng.choice(256, size=int(rng.integers(0, 41)), replace=False):
            code[bit // 8] ^= 1 << (bit % 8)
        rows.append(code)
    codes = np.stack(rows)
    ids = rng.permutation(100_000)[: codes.shape[0]].astype(np.int64)
    queries = np.concatenate([centres, codes[:20], rng.integers(0, 256, (20, 32), np.uint8)])
    return ids, codes, queries


@pytest.mark.parametrize("device", DEVICES)
def test_the_gpu_kernel_equals_the_cpu_index_at_every_radius(device: str) -> None:
    ids, codes, queries = clustered(np.random.default_rng(3))
    cpu = PdqIndex.build(ids, codes)
    gpu = TorchSearcher(ids, codes, device, block_bytes=1 << 22)  # many small blocks
    for radius in (0, 1, 15, 31, 32, 47, 80, 256):
        want = cpu.search_many(queries, radius)
        got = gpu.search_many(queries, radius)
        assert len(got) == len(want)
        for (got_ids, got_d), (want_ids, want_d) in zip(got, want, strict=True):
            np.testing.assert_array_equal(got_ids, want_ids, err_msg=f"radius {radius}")
            np.testing.assert_array_equal(got_d, want_d, err_msg=f"radius {radius}")


def test_an_empty_set_of_hashes_finds_nothing() -> None:
    gpu = TorchSearcher(np.zeros(0, np.int64), np.zeros((0, 32), np.uint8), "cpu")
    found = gpu.search_many(np.zeros((3, 32), np.uint8), 31)
    assert [len(i) for i, _ in found] == [0, 0, 0]
