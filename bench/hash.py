"""Bench: PDQ hashing through ``accord hash`` against ``pdqhash`` itself (issue 3's figures).

Generates N JPEG photographs-like images (smooth gradients plus noise, so PDQ
quality is high) under ``bench/_data/hash/`` (git-ignored), then prints medians
over ``--repeat`` rounds (runs alternate within a round) of:

1. overhead, one process (the runs alternate every 50 images): images per
   second through Accord's library path
   (``hash_file(path, types=["pdq"])``, what the CLI calls per file: read with
   the byte limit, sniff, header pixel check, decode, PDQ) against the
   baseline "read the file, decode with Pillow, convert to RGB, call
   ``pdqhash.compute``" on the same files; ratio baseline/accord (target: Accord
   at most 10 % slower). ``pdqhash.compute`` alone on pre-decoded pixels is
   printed too, to show how much of the time is JPEG decoding;
2. the real CLI once: ``accord hash --types pdq --workers 1 DIR`` in a
   subprocess, images per second including interpreter start-up;
3. scaling: the directory hashed by ``hash_many`` with 2 worker processes
   against 1 (target: at least 1.8x on a 2-core machine);
4. large JPEGs (issue 17): photographs upscaled to 1080p and 4K (the reference
   images in ``../shared/vectors/pdq`` when present, and matplotlib's sample
   photographs), plain and with sensor-like noise, and mosaics of them at their
   own resolution. Images per second per core (CPU time, one process, the runs
   alternating, on the first ``--large-limit`` images of each size) of
   Accord's fast path (``hash_file``: JPEG decoded at reduced scale in the DCT
   domain) against the baseline (Pillow full decode +
   ``pdqhash``) and Accord's ``--exact`` path; then the distribution of bit
   differences between fast and baseline hashes (median, p90, p99, max and a
   histogram) over every image, for hashes of quality >= 50 (those shared and
   matched) and for all; then, as the evidence for the decode size, the same
   for decodes down to 1024, 512 (the default) and 256 pixels a side;
5. video (issue 17): seconds of video hashed per second of CPU for vPDQ
   (``video_pdq``), the fast decode (only the sampled frames and their
   references) against a decode of every frame (``--exact``), with a check that
   the hashes are identical; on the TMK sample videos when present and on
   generated 720p H.264 (a key frame every 2 s, and x264's default of 250
   frames). A TMK row (``tmk``) is added when ``accord.signals.tmk`` exists.

Usage: python bench/hash.py [--images 1000] [--repeat 3] [--size 640x480]
                            [--parts 1,2,3,4,5] [--large-limit 24]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pdqhash
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accord.config import Settings  # noqa: E402
from accord.media.walk import walk_paths  # noqa: E402
from accord.signals.hashing import hash_file, hash_many  # noqa: E402
from bench import hash_large  # noqa: E402

DATA = ROOT / "bench" / "_data" / "hash"


def make_images(folder: Path, count: int, size: tuple[int, int]) -> list[Path]:
    """Write ``count`` distinct JPEGs of ``size`` (reused when already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    width, height = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    rng = np.random.default_rng(3)
    paths = []
    for index in range(count):
        path = folder / f"img{index:05d}.jpg"
        paths.append(path)
        if path.exists():
            continue
        fx, fy, phase = rng.uniform(0.005, 0.05, size=3)
        channels = [np.sin(x * fx + phase * c) + np.cos(y * fy * (c + 1)) for c in range(3)]
        pixels = np.stack(channels, axis=-1) + rng.normal(0, 0.15, (height, width, 3))
        pixels = (pixels - pixels.min()) / np.ptp(pixels) * 255
        out = io.BytesIO()
        Image.fromarray(pixels.astype(np.uint8)).save(out, "JPEG", quality=88)
        path.write_bytes(out.getvalue())
    return paths


def timed(runs: list[Callable[[], object]], repeat: int) -> list[tuple[float, float]]:
    """Median (wall, CPU) seconds of each run over ``repeat`` rounds.

    The runs alternate within each round, so that load from other processes on
    a shared machine falls on all of them alike rather than on whichever ran last.
    CPU seconds count this process only (not pool workers); on a busy machine
    they are the steadier measure of the work one process does.
    """
    walls: list[list[float]] = [[] for _ in runs]
    cpus: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for run, wall, cpu in zip(runs, walls, cpus, strict=True):
            started, cpu_started = time.perf_counter(), time.process_time()
            run()
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)]


def interleaved(
    paths: list[Path], settings: Settings, repeat: int, chunk: int = 50
) -> list[tuple[float, float]]:
    """Median (wall, CPU) seconds of baseline, Accord and pdqhash-only over all ``paths``.

    The three alternate every ``chunk`` images (in turn going first), so that
    the load other processes put on a shared machine falls on all three alike.
    """
    rounds: list[list[tuple[float, float]]] = []
    for _ in range(repeat):
        totals = [[0.0, 0.0] for _ in range(3)]
        for start in range(0, len(paths), chunk):
            part = paths[start : start + chunk]
            pixels = [np.asarray(Image.open(p).convert("RGB")) for p in part]  # not timed
            runs: list[tuple[Callable[..., None], tuple[object, ...]]] = [
                (baseline, (part,)),
                (accord_library, (part, settings)),
                (pdq_only, (pixels,)),
            ]
            order = list(range(3)) if (start // chunk) % 2 == 0 else [1, 2, 0]
            for index in order:
                run, run_args = runs[index]
                wall, cpu = time.perf_counter(), time.process_time()
                run(*run_args)
                totals[index][0] += time.perf_counter() - wall
                totals[index][1] += time.process_time() - cpu
        rounds.append([(w, c) for w, c in totals])
    return [
        (statistics.median(r[i][0] for r in rounds), statistics.median(r[i][1] for r in rounds))
        for i in range(3)
    ]


def baseline(paths: list[Path]) -> None:
    """Read, decode with Pillow, convert to RGB, pdqhash: the minimal correct program."""
    for path in paths:
        with Image.open(io.BytesIO(path.read_bytes())) as image:
            pdqhash.compute(np.asarray(image.convert("RGB")))


def accord_library(paths: list[Path], settings: Settings) -> None:
    """What ``accord hash --types pdq`` does for each file, in this process."""
    for path in paths:
        hash_file(path, settings=settings, types=["pdq"])


def pdq_only(pixels: list[np.ndarray]) -> None:
    """``pdqhash.compute`` on pixels decoded beforehand (no file reading, no JPEG decoding)."""
    for rgb in pixels:
        pdqhash.compute(rgb)


def accord_cli(folder: Path) -> float | str:
    """Seconds for the real command, one worker, output discarded (or why it failed)."""
    command = [sys.executable, "-m", "accord", "hash", "--types", "pdq", "--workers", "1"]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT
    )
    if done.returncode != 0:
        return done.stderr.decode(errors="replace").strip().splitlines()[-1]
    return time.perf_counter() - started


def pool(folder: Path, settings: Settings, workers: int) -> None:
    """The directory through ``hash_many`` with ``workers`` processes."""
    entries = list(walk_paths([str(folder)]))
    for outcome in hash_many(entries, settings=settings, types=["pdq"], workers=workers):
        if outcome.error:
            raise RuntimeError(outcome.error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--parts", default="1,2,3,4,5", help="which sections to run")
    parser.add_argument(
        "--large-limit", type=int, default=24, help="large JPEGs timed per size (0: all)"
    )
    args = parser.parse_args()
    parts = {int(p) for p in args.parts.split(",")}
    if parts & {4, 5}:
        hash_large.run(parts, args.repeat, args.large_limit)
    if not parts & {1, 2, 3}:
        return
    width, height = (int(v) for v in args.size.split("x"))
    folder = DATA / f"{args.images}-{width}x{height}"
    paths = make_images(folder, args.images, (width, height))
    settings = Settings()
    n = len(paths)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"{n} JPEGs of {width}x{height} in {folder.relative_to(ROOT)}; {cores} cores; "
        f"medians of {args.repeat} runs"
    )

    accord_library(paths[:20], settings)  # warm caches and imports before timing
    base, lib, only = interleaved(paths, settings, args.repeat)
    print("\n1. one process, images/s (wall clock | CPU time of this process)")
    print(f"   baseline (read + Pillow decode + pdqhash): {n / base[0]:7.1f} | {n / base[1]:7.1f}")
    print(f"   accord hash library path (hash_file)     : {n / lib[0]:7.1f} | {n / lib[1]:7.1f}")
    print(f"   pdqhash.compute alone, pixels pre-decoded: {n / only[0]:7.1f} | {n / only[1]:7.1f}")
    for label, index in (("wall", 0), ("CPU ", 1)):
        ratio = lib[index] / base[index]
        print(
            f"   ratio accord/baseline, {label}: {ratio:.3f} "
            f"(overhead {100 * (ratio - 1):+.1f} %, target <= +10 %)"
        )
    lib_wall = lib[0]

    cli = accord_cli(folder)
    print("\n2. real CLI, one run: accord hash --types pdq --workers 1")
    if isinstance(cli, str):
        print(f"   the command failed: {cli}")
    else:
        print(
            f"   {cli:.2f} s, {n / cli:.1f} images/s (includes interpreter start-up);"
            f" ratio to library path {cli / lib_wall:.3f}"
        )

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    (one, _), (two, _) = timed(
        [lambda: pool(folder, settings, 1), lambda: pool(folder, settings, 2)], args.repeat
    )
    print(f"\n3. directory through hash_many (1-minute load average before: {load:.2f})")
    print(f"   1 worker : {one:6.2f} s  {n / one:8.1f} images/s")
    print(f"   2 workers: {two:6.2f} s  {n / two:8.1f} images/s")
    print(f"   speed-up 2 vs 1: {one / two:.2f}x  (target >= 1.8x)")


if __name__ == "__main__":
    main()
