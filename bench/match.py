"""Bench: Accord's exact PDQ radius index against brute force and python-threatexchange.

Generated data only (nothing leaves ``bench/_data/match/``, git-ignored). Each
size holds: random 256-bit hashes; a clustered tenth (10,000 centres, each
point 0-40 bits away from its centre); and, around each of ``--planted``
probe queries, one planted neighbour at every distance 0-31 and one decoy at
every distance 32-40. For every size it prints:

1. build time and memory: ``PdqIndex.build`` seconds, ``nbytes()`` per hash,
   resident-set growth per hash (targets at 10M: build <= 30 s, <= 100 B/hash);
2. exactness: recall and precision against numpy brute force at radius 31 over
   ``--recall-queries`` queries (planted probes, cluster centres, random
   points), and the planted neighbours found / decoys wrongly returned;
3. single-thread latency: queries per second and p50/p99 over ``--queries``
   queries (a third planted probes, a third cluster members, a third random),
   median of ``--repeat`` rounds; then ``search_many`` on all cores; then
   10,000-query batches searched in each batch order (query by query, bucket
   order, swept, and the one chosen), one thread, with ratios to query by query;
4. incremental updates: single add and single remove latency (p50/p99), a
   query with a full delta segment, and the merge (``compact``) time.

At the largest size (not ``--huge``) the same queries go to
python-threatexchange's ``PDQIndex`` (faiss ``IndexBinaryMultiHash``, 16 x 16
bits, as HMA uses it) in a subprocess run by ``--tx-python`` (a venv with
``pip install threatexchange``; default ``bench/_data/txvenv/bin/python``),
pinned to one thread, and the ratio Accord/TX is printed with both results
compared for equality. Without that interpreter the comparison is skipped and
says so.

Usage::

    python bench/match.py                       # sizes 1M and 10M (~5 min)
    python bench/match.py --sizes 200000        # quick
    python bench/match.py --huge                # adds 100M (~15 GB of RAM)
    python bench/match.py --no-tx --queries 300 --recall-queries 50

Options: --sizes N[,N...]  --huge  --queries Q  --recall-queries R  --repeat K
--planted P  --threads T (search_many; default all cores)  --tx-python PATH  --no-tx
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # the TX worker runs in another venv, without Accord
    from accord.index import PdqIndex

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "_data" / "match"
TX_PYTHON = ROOT / "bench" / "_data" / "txvenv" / "bin" / "python"
RADIUS = 31
Codes = npt.NDArray[np.uint8]


def flip_masks(rng: np.random.Generator, per_distance: int = 2048) -> Codes:
    """``masks[d, i]``: 32-byte masks with exactly ``d`` bits set, d = 0..40."""
    masks = np.zeros((41, per_distance, 32), dtype=np.uint8)
    for d in range(1, 41):
        keys = rng.random((per_distance, 256), dtype=np.float32)
        bits = (np.argsort(keys, axis=1) < d).astype(np.uint8)
        masks[d] = np.packbits(bits, axis=1)
    return masks


def make_data(n: int, planted: int, seed: int = 1) -> dict[str, npt.NDArray[Any]]:
    """Hashes, ids and query sets for one size (see the module docstring)."""
    rng = np.random.default_rng(seed)
    masks = flip_masks(rng)
    n_cluster = n // 10
    centres = rng.integers(0, 256, size=(10_000, 32), dtype=np.uint8)
    probes = rng.integers(0, 256, size=(planted, 32), dtype=np.uint8)
    codes = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    who = rng.integers(0, 10_000, size=n_cluster)
    dist = rng.integers(0, 41, size=n_cluster)
    codes[:n_cluster] = centres[who] ^ masks[dist, rng.integers(0, masks.shape[1], n_cluster)]
    # planted rows sit at the end: probe p's neighbour at distance d is row
    # n - planted*41 + p*41 + d (d <= 31 neighbours, 32..40 decoys)
    d = np.tile(np.arange(41), planted)
    rows = np.repeat(probes, 41, axis=0) ^ masks[d, rng.integers(0, masks.shape[1], d.size)]
    codes[n - rows.shape[0]:] = rows
    ids = rng.permutation(np.arange(n, dtype=np.int64) * 2 + 1)  # shuffled, sparse ids
    third = 1000
    queries = np.concatenate([
        probes,
        codes[rng.integers(0, n_cluster, third)] ^ masks[rng.integers(0, 12, third), 0],
        rng.integers(0, 256, size=(third, 32), dtype=np.uint8),
    ])
    return {"codes": codes, "ids": ids, "probes": probes, "centres": centres,
            "queries": queries, "planted_rows": np.arange(n - rows.shape[0], n)}


def rss_bytes() -> int:
    """Current resident set size of this process."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def timed_queries(index: PdqIndex, queries: Codes, repeat: int) -> tuple[float, float, float]:
    """Median over rounds of (q/s, p50 us, p99 us), one query at a time."""
    rounds = []
    search = index.search
    as_bytes = [q.tobytes() for q in queries]
    for _ in range(repeat):
        lat = []
        start = time.perf_counter()
        for q in as_bytes:
            t = time.perf_counter_ns()
            search(q, RADIUS)
            lat.append((time.perf_counter_ns() - t) / 1e3)
        rounds.append((len(as_bytes) / (time.perf_counter() - start), pct(lat, 50), pct(lat, 99)))
    qps, p50, p99 = (statistics.median(r[i] for r in rounds) for i in range(3))
    return qps, p50, p99


def exactness(index: PdqIndex, data: dict[str, npt.NDArray[Any]], count: int,
              threads: int) -> str:
    """Recall/precision vs numpy brute force, and the planted neighbours check."""
    from accord.index import brute_force

    codes, ids = data["codes"], data["ids"]
    rng = np.random.default_rng(5)
    pools = [data["probes"], data["centres"], data["queries"][-1000:]]
    sample = np.concatenate([p[rng.integers(0, len(p), max(1, count // 3))] for p in pools])
    with ThreadPoolExecutor(threads) as pool:
        truth = list(pool.map(lambda q: brute_force(codes, q, RADIUS), sample))
    found = expected = correct = 0
    for q, rows in zip(sample, truth, strict=True):
        got = set(index.search(q, RADIUS)[0].tolist())
        want = set(ids[rows].tolist())
        found, expected, correct = found + len(got), expected + len(want), correct + len(got & want)
    recall = 100 * correct / max(expected, 1)
    precision = 100 * correct / max(found, 1)
    planted_ok = decoys = 0
    planted_rows = data["planted_rows"]
    for p, probe in enumerate(data["probes"]):
        got = set(index.search(probe, RADIUS)[0].tolist())
        mine = ids[planted_rows[p * 41:(p + 1) * 41]].tolist()
        planted_ok += sum(i in got for i in mine[:32])
        decoys += sum(i in got for i in mine[32:])
    n_probes = len(data["probes"])
    return (f"recall {recall:.2f} %  precision {precision:.2f} %  ({len(sample)} queries, "
            f"{expected} true matches); planted found {planted_ok}/{32 * n_probes}, "
            f"decoys returned {decoys}/{9 * n_probes}")


def updates(index: PdqIndex, repeat: int) -> str:
    """Latency of single adds and removes, a query over a full delta, and a merge."""
    rng = np.random.default_rng(9)
    new = rng.integers(0, 256, size=(4000, 32), dtype=np.uint8)
    base = -10_000_000
    before = len(index)
    add_lat, rm_lat = [], []
    for i in range(2000):
        t = time.perf_counter_ns()
        index.add(np.array([base - i]), new[i:i + 1])
        add_lat.append((time.perf_counter_ns() - t) / 1e3)
    for i in range(1000):
        t = time.perf_counter_ns()
        index.remove(np.array([base - i]))
        rm_lat.append((time.perf_counter_ns() - t) / 1e3)
    delta = len(index) - before
    qps, p50, _ = timed_queries(index, new[2000:2300], repeat)
    start = time.perf_counter()
    index.compact()
    merge = time.perf_counter() - start
    return (f"add p50 {pct(add_lat, 50):.0f} us p99 {pct(add_lat, 99):.0f} us; "
            f"remove p50 {pct(rm_lat, 50):.0f} us p99 {pct(rm_lat, 99):.0f} us; "
            f"query with {delta}-entry delta {qps:.0f} q/s p50 {p50:.0f} us; merge {merge:.1f} s")


def snapshots(index: PdqIndex, queries: Codes) -> str:
    """Save time, load time (mapped, with and without checksums), first queries."""
    from accord.index import PdqIndex

    folder = DATA / "snapshot"
    t = time.perf_counter()
    index.save(folder)
    save = time.perf_counter() - t
    t = time.perf_counter()
    PdqIndex.load(folder, mmap=True, verify=False)
    fast = time.perf_counter() - t
    t = time.perf_counter()
    loaded = PdqIndex.load(folder, mmap=True)
    verified = time.perf_counter() - t
    t = time.perf_counter()
    for q in queries:
        loaded.search(q, RADIUS)
    first = len(queries) / (time.perf_counter() - t)
    return (f"save {save:.1f} s; load (mmap) {fast:.2f} s, with CRC check {verified:.1f} s; "
            f"first {len(queries)} queries on the mapped index {first:,.0f} q/s")


def run_tx(tx_python: Path, data: dict[str, npt.NDArray[Any]], queries: Codes,
           repeat: int) -> dict[str, Any] | None:
    """Build and query python-threatexchange's PDQIndex in a one-thread subprocess."""
    DATA.mkdir(parents=True, exist_ok=True)
    np.save(DATA / "codes.npy", data["codes"])
    np.save(DATA / "ids.npy", data["ids"])
    np.save(DATA / "queries.npy", queries)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run([str(tx_python), __file__, "--tx-worker", str(repeat)], env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(f"  TX worker failed: {proc.stderr[-2000:]}")
        return None
    result: dict[str, Any] = json.loads(proc.stdout.splitlines()[-1])
    return result


def tx_worker(repeat: int) -> None:
    """Subprocess side: python-threatexchange's PDQIndex over the saved arrays."""
    from threatexchange.signal_type.pdq.pdq_index import (  # type: ignore[import-not-found]
        PDQIndex,
    )

    codes = np.load(DATA / "codes.npy")
    ids = np.load(DATA / "ids.npy").tolist()
    queries = [q.tobytes().hex() for q in np.load(DATA / "queries.npy")]
    rss0 = rss_bytes()
    start = time.perf_counter()
    entries = [(c.hex(), i) for c, i in zip(map(bytes, codes), ids, strict=True)]
    index = PDQIndex(entries)
    build = time.perf_counter() - start
    del entries
    mem = rss_bytes() - rss0
    rounds = []
    for _ in range(repeat):
        lat = []
        t0 = time.perf_counter()
        for q in queries:
            t = time.perf_counter_ns()
            index.query(q)
            lat.append((time.perf_counter_ns() - t) / 1e3)
        rounds.append((len(queries) / (time.perf_counter() - t0), pct(lat, 50), pct(lat, 99)))
    hits = [sorted(m.metadata for m in index.query(q)) for q in queries]
    qps, p50, p99 = (statistics.median(r[i] for r in rounds) for i in range(3))
    print(json.dumps({"build": build, "bytes": mem, "qps": qps, "p50": p50, "p99": p99,
                      "hits": hits}))


def batch_orders(index: PdqIndex, codes: npt.NDArray[np.uint8], repeat: int) -> str:
    """One thread, CPU time: 10,000-query batches (a tenth in the index, as the
    batch API bench sends) searched query by query, in bucket order and swept;
    median of ``repeat`` batches each, with the same results checked."""
    from accord.index import _mih

    rng = np.random.default_rng(5)
    batches = []
    for _ in range(repeat):
        q = rng.integers(0, 256, size=(10_000, 32), dtype=np.uint8)
        q[::10] = codes[rng.integers(0, codes.shape[0], size=1_000)]
        batches.append(q.tobytes())
    main = index._main
    orders = {"query by query": _mih.ORDER_QUERY, "bucket order": _mih.ORDER_BUCKET,
              "swept": _mih.ORDER_SWEPT, "chosen": _mih.ORDER_AUTO}
    rates: dict[str, float] = {}
    reference: list[Any] = []
    for name, order in orders.items():
        runs = []
        for k, queries in enumerate(batches):
            t = time.process_time()
            found = main.search(queries, RADIUS, 1, order)
            runs.append(10_000 / (time.process_time() - t))
            if order == _mih.ORDER_QUERY:
                reference.append(found)
            elif not all(np.array_equal(a, b) for a, b in zip(found, reference[k], strict=True)):
                raise SystemExit(f"batch order {name} gave other results than query by query")
        rates[name] = statistics.median(runs)
    base = rates["query by query"]
    return "; ".join(f"{name} {rate:,.0f} q/s ({rate / base:.2f}x)" for name, rate in rates.items())


def bench_size(n: int, args: argparse.Namespace, compare_tx: bool) -> None:
    from accord.index import PdqIndex

    print(f"\n== {n:,} hashes ==", flush=True)
    t = time.perf_counter()
    data = make_data(n, args.planted)
    print(f"  data generated in {time.perf_counter() - t:.1f} s")
    rss0 = rss_bytes()
    t = time.perf_counter()
    index = PdqIndex.build(data["ids"], data["codes"])
    build = time.perf_counter() - t
    grown = rss_bytes() - rss0
    print(f"  build {build:.1f} s; nbytes {index.nbytes() / n:.1f} B/hash; "
          f"RSS growth {grown / n:.1f} B/hash", flush=True)
    if args.recall_queries:
        print("  exactness at radius 31: "
              + exactness(index, data, args.recall_queries, args.threads), flush=True)
    queries = data["queries"][np.random.default_rng(2).permutation(len(data["queries"]))]
    queries = queries[:args.queries]
    qps, p50, p99 = timed_queries(index, queries, args.repeat)
    print(f"  Accord single thread: {qps:,.0f} q/s  p50 {p50:.0f} us  p99 {p99:.0f} us "
          f"(median of {args.repeat} rounds, {len(queries)} queries)", flush=True)
    t = time.perf_counter()
    batch = index.search_many(queries, RADIUS, threads=args.threads)
    print(f"  Accord search_many ({args.threads} threads): "
          f"{len(queries) / (time.perf_counter() - t):,.0f} q/s", flush=True)
    print("  batch orders (1 thread, CPU time, 10,000 queries, all identical): "
          + batch_orders(index, data["codes"], args.repeat), flush=True)
    if compare_tx:
        tx = run_tx(args.tx_python, data, queries, args.repeat)
        if tx is not None:
            same = all(sorted(ids.tolist()) == want
                       for (ids, _), want in zip(batch, tx["hits"], strict=True))
            print(f"  TX PDQIndex single thread: {tx['qps']:,.0f} q/s  p50 {tx['p50']:.0f} us  "
                  f"p99 {tx['p99']:.0f} us; build {tx['build']:.1f} s; RSS growth "
                  f"{tx['bytes'] / n:.0f} B/hash; same results: {same}")
            print(f"  ratio Accord/TX: {qps / tx['qps']:.1f}x q/s, "
                  f"p50 {tx['p50'] / p50:.1f}x lower", flush=True)
    print("  updates: " + updates(index, args.repeat), flush=True)
    print("  snapshot: " + snapshots(index, queries[:200]), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--huge", action="store_true", help="also run 100M hashes")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--recall-queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--planted", type=int, default=200)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--tx-python", type=Path, default=TX_PYTHON)
    parser.add_argument("--no-tx", action="store_true")
    parser.add_argument("--tx-worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tx_worker is not None:
        tx_worker(args.tx_worker)
        return
    sys.path.insert(0, str(ROOT))
    sizes = [int(s) for s in args.sizes.split(",")]
    tx_ok = not args.no_tx and args.tx_python.exists()
    print(f"machine: {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB; "
          f"TX baseline: {'yes' if tx_ok else 'skipped (no ' + str(args.tx_python) + ')'}")
    for n in sizes:
        bench_size(n, args, tx_ok and n == max(sizes))
    if args.huge:
        args.recall_queries = min(args.recall_queries, 20)
        bench_size(100_000_000, args, False)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"\npeak RSS {peak / 2**30:.1f} GiB")


if __name__ == "__main__":
    main()
