"""Sections 4 and 5 of ``bench/hash.py``: large JPEGs and video, fast path against exact.

Run through ``python bench/hash.py --parts 4,5``; see that file's docstring.
The corpus is generated under ``bench/_data/hash/large`` (git-ignored).
"""

from __future__ import annotations

import importlib.util
import io
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import av
import matplotlib
import numpy as np
import pdqhash
from PIL import Image

from accord.config import Settings
from accord.media.image import FAST_MIN_SIDE, decode_image
from accord.media.limits import MediaLimits
from accord.media.source import load_media
from accord.signals.hashing import hash_file
from accord.signals.pdq import FAST_PATH_MAX_BITS, FAST_PATH_MEDIAN_BITS, pdq_hash
from accord.signals.registry import registry

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "_data" / "hash" / "large"
VECTORS = ROOT.parent / "shared" / "vectors"
SIZES = {"1080p": (1920, 1080), "4K": (3840, 2160)}


def sources() -> list[Image.Image]:
    """Real photographs: the PDQ reference images (when present) and matplotlib's."""
    paths: list[Path] = []
    pdq = VECTORS / "pdq" / "data"
    for pattern in ("bridge-mods/*.jpg", "reg-test-input/*/*.jpg", "misc-images/*.*"):
        paths += sorted(pdq.glob(pattern))
    paths += sorted(pdq.glob("misc-images/modes/original.jpg"))
    sample = Path(matplotlib.get_data_path()) / "sample_data"
    paths += [sample / "grace_hopper.jpg", sample / "Minduka_Present_Blue_Pack.png"]
    images = []
    for path in paths:
        if path.is_file():
            image = Image.open(path).convert("RGB")
            if min(image.size) >= 64:
                images.append(image)
    return images


def corpus(limit: int) -> dict[str, list[Path]]:
    """JPEGs per resolution: upscaled, upscaled with noise, and native-resolution mosaics."""
    DATA.mkdir(parents=True, exist_ok=True)
    images = sources()
    rng = np.random.default_rng(17)
    out: dict[str, list[Path]] = {name: [] for name in SIZES}
    for name, size in SIZES.items():
        for index, image in enumerate(images):
            width, height = size if image.width >= image.height else size[::-1]
            for noise in (0.0, 6.0):
                path = DATA / f"{name}-{index:03d}-noise{noise:g}.jpg"
                out[name].append(path)
                if not path.exists():
                    big = np.asarray(image.resize((width, height), Image.Resampling.LANCZOS))
                    pixels = big + rng.normal(0, noise, (height, width, 1)) if noise else big
                    _save(np.clip(pixels, 0, 255).astype(np.uint8), path)
        for index in range(8):
            path = DATA / f"{name}-mosaic-{index}.jpg"
            out[name].append(path)
            if not path.exists():
                _save(_mosaic(images, size, rng), path)
    return {name: paths[:limit] if limit else paths for name, paths in out.items()}


def _save(pixels: np.ndarray, path: Path) -> None:
    Image.fromarray(pixels).save(path, "JPEG", quality=90)


def _mosaic(
    images: list[Image.Image], size: tuple[int, int], rng: np.random.Generator
) -> np.ndarray:
    # Pictures at their own resolution, so the 4K frame has real fine detail.
    canvas = Image.new("RGB", size)
    x = y = row = 0
    for index in rng.permutation(len(images)):
        tile = images[index]
        if x + tile.width > size[0]:
            x, y, row = 0, y + row, 0
        if y >= size[1]:
            break
        canvas.paste(tile, (x, y))
        x, row = x + tile.width, max(row, tile.height)
    return np.asarray(canvas)


def baseline(data: bytes) -> tuple[str, int]:
    """pdqhash on a full Pillow decode: what python-threatexchange and HMA do."""
    with Image.open(io.BytesIO(data)) as image:
        return pdq_hash(np.asarray(image.convert("RGB")))


def accord(data: bytes, settings: Settings, exact: bool) -> tuple[str, int]:
    [result] = hash_file(data, settings=settings, types=["pdq"], exact=exact)
    return result.value, result.quality or 0


def images_per_cpu_second(
    datas: list[bytes], runs: Sequence[Callable[[bytes], object]], repeat: int, chunk: int = 8
) -> list[float]:
    """Median over ``repeat`` rounds of images per CPU second for each run, alternating."""
    rounds: list[list[float]] = []
    for _ in range(repeat):
        totals = [0.0] * len(runs)
        for start in range(0, len(datas), chunk):
            part = datas[start : start + chunk]
            order = list(range(len(runs)))
            if (start // chunk) % 2:
                order.reverse()
            for index in order:
                began = time.process_time()
                for data in part:
                    runs[index](data)
                totals[index] += time.process_time() - began
        rounds.append([len(datas) / total for total in totals])
    return [statistics.median(r[i] for r in rounds) for i in range(len(runs))]


_BASELINE: dict[bytes, str] = {}
_QUALITY: dict[bytes, int] = {}


def bit_differences(datas: list[bytes], min_side: int | None, settings: Settings) -> list[int]:
    """Bits between the hash at ``min_side`` (None: Accord's default) and the baseline."""
    limits = MediaLimits.from_settings(settings)
    out = []
    for data in datas:
        if data not in _BASELINE:
            _BASELINE[data], _QUALITY[data] = baseline(data)
        reference = _BASELINE[data]
        if min_side is None:
            value = accord(data, settings, exact=False)[0]
        else:
            value = pdq_hash(decode_image(load_media(data, limits), min_side=min_side))[0]
        out.append(_bits(value, reference))
    return out


def _bits(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def describe(bits: list[int]) -> str:
    values = np.array(bits)
    histogram = np.bincount(values // 2 * 2, minlength=2)[::2]  # PDQ differences come in pairs
    shown = " ".join(f"{2 * i}:{n}" for i, n in enumerate(histogram) if n)
    return (
        f"median {np.median(values):4.1f}  p90 {np.percentile(values, 90):4.1f}  "
        f"p99 {np.percentile(values, 99):4.1f}  max {values.max():3d}   [bits:count {shown}]"
    )


def large_jpegs(repeat: int, limit: int) -> None:
    settings = Settings()
    timed = f"the first {limit} of each size" if limit else "every image"
    print(f"\n4. large JPEGs: images per CPU second, one process ({timed}, median of {repeat})")
    everything: list[bytes] = []
    for name, paths in corpus(0).items():
        datas = [p.read_bytes() for p in paths]
        everything += datas
        accord(datas[0], settings, False)  # warm imports
        base, fast, exact = images_per_cpu_second(
            datas[:limit] if limit else datas,
            [baseline, lambda d: accord(d, settings, False), lambda d: accord(d, settings, True)],
            repeat,
        )
        print(f"   {name} ({len(datas)} JPEGs, {SIZES[name][0]}x{SIZES[name][1]}):")
        print(f"     baseline (Pillow + pdqhash) : {base:7.1f}/s")
        print(f"     accord --exact              : {exact:7.1f}/s  ratio {exact / base:.2f}")
        print(f"     accord fast path (default)  : {fast:7.1f}/s  ratio {fast / base:.2f}")
        bits = bit_differences(datas, None, settings)
        print(f"     bits fast vs baseline, quality >= 50: {describe(_matched(datas, bits))}")
        print(f"     bits fast vs baseline, every image  : {describe(bits)}")
    print(
        f"   bound: median <= {FAST_PATH_MEDIAN_BITS}, max <= {FAST_PATH_MAX_BITS} bits on hashes "
        f"of quality >= 50 (the ones shared and matched; match threshold 31). "
        f"All {len(everything)} images, by decoded size:"
    )
    for side in (1024, FAST_MIN_SIDE, FAST_MIN_SIDE // 2):
        bits = _matched(everything, bit_differences(everything, side, settings))
        verdict = (
            "within"
            if max(bits) <= FAST_PATH_MAX_BITS and np.median(bits) <= FAST_PATH_MEDIAN_BITS
            else "OVER"
        )
        chosen = "  <- default" if side == FAST_MIN_SIDE else ""
        print(f"     sides >= {side:4d}: {describe(bits)}  {verdict}{chosen}")


def _matched(datas: list[bytes], bits: list[int]) -> list[int]:
    """The differences of images whose exact hash has quality >= 50."""
    return [b for data, b in zip(datas, bits, strict=True) if _QUALITY[data] >= 50]


def h264(path: Path, seconds: float, options: dict[str, str]) -> Path:
    """A 1280x720 30 fps H.264 video of moving shapes over a photograph (made once)."""
    if path.exists():
        return path
    width, height, fps = 1280, 720, 30
    photo = np.asarray(sources()[-2].resize((width * 2, height), Image.Resampling.LANCZOS))
    with av.open(str(path), mode="w") as muxer:
        stream = muxer.add_stream("libx264", rate=fps, options=options)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for index in range(round(seconds * fps)):
            shift = (index * 7) % width
            pixels = np.ascontiguousarray(photo[:, shift : shift + width])
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                muxer.mux(packet)
        for packet in stream.encode():
            muxer.mux(packet)
    return path


def videos() -> list[Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    found = sorted((VECTORS / "tmk" / "sample-videos").glob("*.mp4"))
    found.append(h264(DATA / "720p-gop60.mp4", 20.0, {"g": "60", "bf": "3"}))
    found.append(h264(DATA / "720p-gop250.mp4", 20.0, {"bf": "3"}))
    return found


def video_rates(repeat: int) -> None:
    settings = Settings()
    types = ["video_pdq"] + (["tmk"] if _has_tmk() else [])
    print(f"\n5. video: seconds of video hashed per CPU second (median of {repeat} rounds)")
    if "tmk" not in types:
        where = (
            "not importable"
            if importlib.util.find_spec("accord.signals.tmk") is None
            else (
                "importable but not a registered signal type (reinstall Accord for its entry point)"
            )
        )
        print(f"   (tmk: accord.signals.tmk is {where}; its row is skipped)")
    for path in videos():
        with av.open(str(path)) as container:
            duration = float(container.duration or 0) / av.time_base
        for kind in types:
            runs = [
                lambda p=path, k=kind, e=exact: hash_file(p, settings=settings, types=[k], exact=e)
                for exact in (True, False)
            ]
            times: list[list[float]] = [[], []]
            outputs: list[object] = [None, None]
            for _ in range(repeat):
                for index, run in enumerate(runs):
                    began = time.process_time()
                    outputs[index] = run()
                    times[index].append(time.process_time() - began)
            every, fast = (statistics.median(t) for t in times)
            same = "identical" if outputs[0] == outputs[1] else "DIFFERENT"
            print(
                f"   {path.name:28s} {kind:9s} {duration:5.1f} s: every frame "
                f"{duration / every:6.1f} s/s, fast {duration / fast:6.1f} s/s, "
                f"ratio {every / fast:.2f}, hashes {same}"
            )


def _has_tmk() -> bool:
    return importlib.util.find_spec("accord.signals.tmk") is not None and "tmk" in registry()


def run(parts: set[int], repeat: int, limit: int) -> None:
    versions = f"pdqhash {pdqhash.__version__}, Pillow {Image.__version__}, PyAV {av.__version__}"
    print(versions)
    if 4 in parts:
        large_jpegs(repeat, limit)
    if 5 in parts:
        video_rates(repeat)
