"""Bench: how well PDQ matching survives the edits re-uploads carry (issue 17's table).

A benchmark, not a test: it prints numbers, for docs/matching-quality.md.

Corpus: real photographs that install with pip (scikit-image's ``skimage.data``,
scikit-learn's ``load_sample_images``, matplotlib's ``sample_data``; install
them with ``pip install -e '.[bench]'``) plus the PDQ reference photographs in
``../shared/vectors/pdq/data`` when that folder is there. Each picture is
scaled to at most 640 pixels a side (the originals a bank would hold) and put
through every transform below at several strengths.

The bank holds the plain PDQ hash of each original. For every transformed
copy and every method (a set of query variants, :mod:`accord.matching.variants`,
hashed by the library code the match path runs) it reports:

- recall: the share of copies whose closest allowed variant is within the
  bank's threshold (31 bits) of their own original;
- false positives: the share of (copy, other picture) pairs that match, where
  the other pictures are every other original *and every transformed copy of
  them* (so each copy meets about (N-1) x (T+1) unrelated hashes).

Methods (cumulative, as the issue asks, plus the single steps):

- ``plain``: the picture as given: what HMA and python-threatexchange match;
- ``+dihedral``: the 8 rotations and flips;
- ``+unletterbox``: and the picture with its uniform bars removed;
- ``+unframe``: and the picture taken out of a screenshot-like frame;
- ``full``: and the central crops (``crop90`` ... ``crop60``);
- ``unletterbox`` and ``unletterbox+unframe``: without the dihedral variants.

It ends with the method of highest recall whose false-positive rate is no
higher than plain PDQ's, and the mean hashing time of one query per method.

Usage: python bench/robustness.py [--quick] [--workers 2] [--threshold 31] [--shared DIR]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accord.matching.variants import (  # noqa: E402
    ALL_VARIANTS,
    image_variants,
    parse_variants,
    usable,
)

SHARED = ROOT.parent / "shared"
MAX_SIDE = 640
MIN_QUALITY = 50  # Settings.pdq_min_quality: what the match path drops, the bench drops

METHODS: dict[str, frozenset[str]] = {
    "plain": parse_variants("plain"),
    "+dihedral": parse_variants("dihedral"),
    "+unletterbox": parse_variants("dihedral,unletterbox"),
    "+unframe": parse_variants("dihedral,unletterbox,unframe"),
    "full": parse_variants("all"),
    "unletterbox": parse_variants("unletterbox"),
    "unletterbox+unframe": parse_variants("unletterbox,unframe"),
}

Transform = Callable[[Image.Image], Image.Image]
Pixels = npt.NDArray[np.uint8]


# --- the corpus -------------------------------------------------------------------------

def corpus(quick: bool, shared: Path = SHARED) -> list[tuple[str, Image.Image]]:
    """Named RGB photographs, each at most MAX_SIDE a side."""
    found: list[tuple[str, Image.Image]] = []
    found += _skimage(quick)
    found += _sklearn()
    found += _matplotlib()
    found += _reference(quick, shared / "vectors" / "pdq" / "data")
    out = []
    for name, image in found:
        image = image.convert("RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        out.append((name, image))
    return out[:12] if quick else out


_SKIMAGE = ("astronaut", "camera", "cat", "coffee", "coins", "moon", "rocket", "retina",
            "hubble_deep_field", "immunohistochemistry", "brick", "grass", "gravel", "page",
            "clock")


def _skimage(quick: bool) -> list[tuple[str, Image.Image]]:
    try:
        from skimage import data
    except ImportError:
        print("   (scikit-image not installed: pip install -e '.[bench]')")
        return []
    out = []
    for name in _SKIMAGE[:8] if quick else _SKIMAGE:
        out.append((f"skimage:{name}", Image.fromarray(_rgb(getattr(data, name)()))))
    left, _, _ = data.stereo_motorcycle()  # the right view is the same scene: left only
    out.append(("skimage:motorcycle", Image.fromarray(_rgb(left))))
    return out


def _sklearn() -> list[tuple[str, Image.Image]]:
    try:
        from sklearn.datasets import load_sample_images
    except ImportError:
        print("   (scikit-learn not installed: pip install -e '.[bench]')")
        return []
    bunch = load_sample_images()
    return [(f"sklearn:{Path(name).stem}", Image.fromarray(pixels))
            for name, pixels in zip(bunch.filenames, bunch.images, strict=True)]


def _matplotlib() -> list[tuple[str, Image.Image]]:
    from matplotlib import cbook
    out = []
    for name in ("grace_hopper.jpg", "Minduka_Present_Blue_Pack.png"):
        with cbook.get_sample_data(name) as handle:
            out.append((f"matplotlib:{Path(name).stem}", Image.open(io.BytesIO(handle.read()))))
    return out


def _reference(quick: bool, folder: Path) -> list[tuple[str, Image.Image]]:
    # Not bridge-mods/ (edits of one picture) nor the dihedral set: distinct pictures only.
    if not folder.is_dir():
        print(f"   ({folder} absent: reference photographs left out; see --shared)")
        return []
    paths = [folder / "bridge-mods" / "aaa-orig.jpg",
             folder / "reg-test-input" / "pen-and-coaster.png",
             *sorted((folder / "reg-test-input" / "labelme-subset").glob("*.jpg"))]
    return [(f"pdq:{p.stem}", Image.open(p)) for p in paths[:3 if quick else None]]


def _rgb(pixels: npt.NDArray[np.generic]) -> Pixels:
    array = np.asarray(pixels)
    if array.dtype != np.uint8:
        array = (255 * (array - array.min()) / max(1e-9, float(np.ptp(array)))).astype(np.uint8)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    return np.ascontiguousarray(array[:, :, :3])


# --- the transforms ---------------------------------------------------------------------

def _jpeg(quality: int) -> Transform:
    def run(image: Image.Image) -> Image.Image:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        return Image.open(io.BytesIO(out.getvalue())).convert("RGB")
    return run


def _scale(factor: float) -> Transform:
    return lambda im: im.resize((max(8, round(im.width * factor)),
                                 max(8, round(im.height * factor))), Image.Resampling.BILINEAR)


def _crop(keep: float) -> Transform:
    def run(im: Image.Image) -> Image.Image:
        w, h = round(im.width * keep), round(im.height * keep)
        left, top = (im.width - w) // 2, (im.height - h) // 2
        return im.crop((left, top, left + w, top + h))
    return run


def _corner_crop(keep: float) -> Transform:
    return lambda im: im.crop((0, 0, round(im.width * keep), round(im.height * keep)))


def _border(share: float, colour: tuple[int, int, int]) -> Transform:
    def run(im: Image.Image) -> Image.Image:
        pad = round(max(im.size) * share)
        out = Image.new("RGB", (im.width + 2 * pad, im.height + 2 * pad), colour)
        out.paste(im, (pad, pad))
        return out
    return run


def _letterbox(content: float) -> Transform:
    """Black bars above and below, the picture taking ``content`` of the frame's height."""
    def run(im: Image.Image) -> Image.Image:
        height = round(im.height / content)
        out = Image.new("RGB", (im.width, height), (0, 0, 0))
        out.paste(im, (0, (height - im.height) // 2))
        return out
    return run


def _pad_square(colour: tuple[int, int, int]) -> Transform:
    def run(im: Image.Image) -> Image.Image:
        side = max(im.size)
        out = Image.new("RGB", (side, side), colour)
        out.paste(im, ((side - im.width) // 2, (side - im.height) // 2))
        return out
    return run


def _rotate(degrees: float) -> Transform:
    return lambda im: im.rotate(degrees, resample=Image.Resampling.BILINEAR, expand=False)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, size))


def _text(lines: int) -> Transform:
    """Meme-style captions: white text with a black outline, top (and bottom) lines."""
    def run(im: Image.Image) -> Image.Image:
        out = im.copy()
        draw = ImageDraw.Draw(out)
        size = max(10, im.height // 11)
        words = ["WHEN THEY SAY", "NOBODY WILL SEE", "SHARE BEFORE", "IT IS DELETED"]
        for index in range(lines):
            y = (index // 2) * size if index % 2 == 0 else im.height - (1 + index // 2) * size * 1.2
            draw.text((im.width * 0.05, y + 4), words[index % 4], font=_font(size),
                      fill=(255, 255, 255), stroke_width=max(1, size // 12),
                      stroke_fill=(0, 0, 0))
        return out
    return run


def _logo(share: float) -> Transform:
    """A broadcaster's bug in the top-left corner: a box with a name in it."""
    def run(im: Image.Image) -> Image.Image:
        out = im.copy()
        draw = ImageDraw.Draw(out)
        w = round(im.width * share)
        h = max(8, w // 3)
        draw.rectangle((8, 8, 8 + w, 8 + h), fill=(200, 20, 30))
        draw.text((12, 10), "NEWS 24", font=_font(int(h * 0.7)), fill=(255, 255, 255))
        return out
    return run


def _emoji(share: float) -> Transform:
    """A yellow smiley sticker over the lower right of the picture."""
    def run(im: Image.Image) -> Image.Image:
        out = im.copy()
        draw = ImageDraw.Draw(out)
        d = round(min(im.size) * share)
        x, y = round(im.width * 0.62), round(im.height * 0.55)
        draw.ellipse((x, y, x + d, y + d), fill=(255, 205, 40), outline=(90, 60, 0),
                     width=max(1, d // 30))
        eye = max(2, d // 9)
        for ex in (x + d * 0.32, x + d * 0.62):
            draw.ellipse((ex, y + d * 0.3, ex + eye, y + d * 0.3 + eye * 1.5), fill=(60, 40, 0))
        draw.arc((x + d * 0.25, y + d * 0.35, x + d * 0.75, y + d * 0.78), 20, 160,
                 fill=(60, 40, 0), width=max(1, d // 20))
        return out
    return run


def _screenshot(share: float) -> Transform:
    """The picture in a phone screenshot: status bar, a post's header, text, buttons."""
    def run(im: Image.Image) -> Image.Image:
        width = round(im.width / share)
        scaled = im
        header, footer = round(width * 0.22), round(width * 0.35)
        height = header + scaled.height + footer
        out = Image.new("RGB", (width, height), (250, 250, 250))
        draw = ImageDraw.Draw(out)
        draw.rectangle((0, 0, width, round(width * 0.06)), fill=(20, 20, 20))
        draw.ellipse((12, round(width * 0.09), 12 + round(width * 0.09),
                      round(width * 0.18)), fill=(80, 120, 200))
        font = _font(round(width * 0.04))
        draw.text((round(width * 0.14), round(width * 0.1)), "account_name  ·  2h", font=font,
                  fill=(20, 20, 20))
        out.paste(scaled, ((width - scaled.width) // 2, header))
        for row in range(3):
            draw.text((12, header + scaled.height + 10 + row * round(width * 0.06)),
                      "caption text goes on here and here", font=font, fill=(40, 40, 40))
        return out
    return run


def _grey(im: Image.Image) -> Image.Image:
    return im.convert("L").convert("RGB")


def _noise(sigma: float) -> Transform:
    def run(im: Image.Image) -> Image.Image:
        rng = np.random.default_rng(int(sigma * 10))
        pixels = np.asarray(im).astype(np.float32) + rng.normal(0, sigma, (im.height, im.width, 3))
        return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return run


def _enhance(kind: type[ImageEnhance._Enhance], factor: float) -> Transform:
    return lambda im: kind(im).enhance(factor)  # type: ignore[call-arg]


def _blur(share: float) -> Transform:
    return lambda im: im.filter(ImageFilter.GaussianBlur(max(im.size) * share))


TRANSFORMS: dict[str, list[tuple[str, Transform]]] = {
    "jpeg": [("q70", _jpeg(70)), ("q40", _jpeg(40)), ("q15", _jpeg(15))],
    "downscale": [("1/2", _scale(0.5)), ("1/4", _scale(0.25)), ("1/8", _scale(0.125))],
    "crop (centre)": [("keep 90%", _crop(0.9)), ("keep 80%", _crop(0.8)),
                      ("keep 65%", _crop(0.65))],
    "crop (corner)": [("keep 95%", _corner_crop(0.95)), ("keep 85%", _corner_crop(0.85))],
    "border (black)": [("3%", _border(0.03, (0, 0, 0))), ("10%", _border(0.1, (0, 0, 0))),
                       ("25%", _border(0.25, (0, 0, 0)))],
    "border (white)": [("10%", _border(0.1, (255, 255, 255)))],
    "letterbox": [("picture 80%", _letterbox(0.8)), ("picture 56%", _letterbox(0.56)),
                  ("picture 40%", _letterbox(0.4))],
    "pad to square": [("black", _pad_square((0, 0, 0))), ("white", _pad_square((255,) * 3))],
    "mirror": [("left-right", lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT)),
               ("upside down", lambda im: im.transpose(Image.Transpose.FLIP_TOP_BOTTOM))],
    "rotate 90°": [("90°", lambda im: im.transpose(Image.Transpose.ROTATE_90)),
                   ("180°", lambda im: im.transpose(Image.Transpose.ROTATE_180)),
                   ("270°", lambda im: im.transpose(Image.Transpose.ROTATE_270))],
    "small rotation": [("2°", _rotate(2)), ("5°", _rotate(5)), ("10°", _rotate(10))],
    "greyscale": [("-", _grey)],
    "brightness/contrast": [("bright x1.3", _enhance(ImageEnhance.Brightness, 1.3)),
                            ("dark x0.6", _enhance(ImageEnhance.Brightness, 0.6)),
                            ("contrast x1.6", _enhance(ImageEnhance.Contrast, 1.6)),
                            ("contrast x0.5", _enhance(ImageEnhance.Contrast, 0.5))],
    "text overlay": [("1 line", _text(1)), ("2 lines", _text(2)), ("4 lines", _text(4))],
    "logo overlay": [("10% wide", _logo(0.1)), ("25% wide", _logo(0.25))],
    "emoji overlay": [("15%", _emoji(0.15)), ("30%", _emoji(0.3)), ("45%", _emoji(0.45))],
    "screenshot frame": [("picture 90% wide", _screenshot(0.9)),
                         ("picture 70% wide", _screenshot(0.7)),
                         ("picture 50% wide", _screenshot(0.5))],
    "blur": [("0.5%", _blur(0.005)), ("1%", _blur(0.01)), ("2%", _blur(0.02))],
    "noise": [("sigma 8", _noise(8)), ("sigma 20", _noise(20)), ("sigma 40", _noise(40))],
}


def transforms(quick: bool) -> list[tuple[str, str, Transform]]:
    """(family, strength, transform); quick: the mildest and strongest of each family."""
    out = []
    for family, steps in TRANSFORMS.items():
        chosen = [steps[0], steps[-1]] if quick and len(steps) > 2 else steps
        out.extend((family, label, fn) for label, fn in chosen)
    return out


# --- hashing (in worker processes) ------------------------------------------------------

Hashed = list[tuple[str, bytes]]  # (variant, 32 hash bytes): the usable variants of a copy


def _hash_all(image: Image.Image) -> Hashed:
    rgb = np.asarray(image.convert("RGB"))
    return [(h.variant, bytes.fromhex(h.value))
            for h in usable(image_variants(rgb, ALL_VARIANTS), MIN_QUALITY)]


def _timing(rgb: Pixels) -> dict[str, float]:
    """Seconds to hash one picture's variants, per method (best of three)."""
    out = {}
    for method, allowed in METHODS.items():
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            image_variants(rgb, allowed)
            runs.append(time.perf_counter() - start)
        out[method] = min(runs)
    return out


Done = tuple[int, bytes, int, list[Hashed], dict[str, float]]


def _work(job: tuple[int, Image.Image, bool]) -> Done:
    index, image, quick = job
    from accord.signals.pdq import pdq_hash
    rgb = np.asarray(image)
    value, quality = pdq_hash(rgb)
    copies = [_hash_all(fn(image)) for _, _, fn in transforms(quick)]
    return index, bytes.fromhex(value), quality, copies, _timing(rgb)


# --- scoring ----------------------------------------------------------------------------

def _words(hashes: list[bytes]) -> npt.NDArray[np.uint64]:
    return np.frombuffer(b"".join(hashes), dtype=">u8").astype(np.uint64).reshape(-1, 4)


def _distances(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    return np.bitwise_count(a[:, None, :] ^ b[None, :, :]).sum(axis=2).astype(np.int64)


CLOSE = 0.005  # recall this close to the best counts as a tie, broken by hashing cost
NEAR_MISS = 45  # unrelated pairs this close show how much margin the threshold keeps

Margins = dict[str, list[int]]  # per method: [closest unrelated distance, pairs <= NEAR_MISS]


def score(originals: list[bytes], copies: list[list[Hashed]], names: list[tuple[str, str]],
          threshold: int, margins: Margins
          ) -> dict[str, dict[tuple[str, str], tuple[float, int, int]]]:
    """Per method and (family, strength): (recall, false-positive pairs, pairs); also
    fills ``margins``."""
    n = len(originals)
    # Every unrelated hash a copy may meet: the originals and every copy's plain hash.
    pool = list(originals)
    owner = list(range(n))
    for i in range(n):
        for hashed in copies[i]:
            plain = [h for v, h in hashed if v == "original"]
            pool.extend(plain)
            owner.extend([i] * len(plain))
    pool_words, owners = _words(pool), np.asarray(owner)
    out: dict[str, dict[tuple[str, str], tuple[float, int, int]]] = {m: {} for m in METHODS}
    for t, name in enumerate(names):
        hits = {m: 0 for m in METHODS}
        fps = {m: 0 for m in METHODS}
        pairs = 0
        for i in range(n):
            hashed = copies[i][t]
            words = _words([h for _, h in hashed])
            distances = _distances(words, pool_words)  # variants x pool
            near = distances <= threshold
            others = owners != i
            pairs += int(others.sum())
            own = _distances(words, pool_words[i:i + 1])[:, 0] <= threshold
            for method, allowed in METHODS.items():
                rows = [k for k, (v, _) in enumerate(hashed) if v in allowed]
                if not rows:
                    continue
                hits[method] += bool(own[rows].any())
                fps[method] += int((near[rows].any(axis=0) & others).sum())
                closest = distances[rows].min(axis=0)[others]
                margin = margins.setdefault(method, [256, 0])
                margin[0] = min(margin[0], int(closest.min()))
                margin[1] += int((closest <= NEAR_MISS).sum())
        for method in METHODS:
            out[method][name] = (hits[method] / n, fps[method], pairs)
    return out


def cost(timings: list[dict[str, float]]) -> dict[str, float]:
    """Mean milliseconds to hash one picture's variants, per method."""
    return {m: 1000 * sum(t[m] for t in timings) / max(1, len(timings)) for m in METHODS}


# --- report -----------------------------------------------------------------------------

def report(results: dict[str, dict[tuple[str, str], tuple[float, int, int]]],
           names: list[tuple[str, str]], n: int, ms: dict[str, float], margins: Margins
           ) -> None:
    methods = list(METHODS)
    print(f"\nRecall at the threshold / false positives per 10^4 unrelated pairs, {n} pictures")
    print("| transform | strength | " + " | ".join(methods) + " |")
    print("|---|---|" + "---|" * len(methods))
    for name in names:
        cells = []
        for method in methods:
            recall, fp, pairs = results[method][name]
            cells.append(f"{100 * recall:.0f}% / {1e4 * fp / max(1, pairs):.1f}")
        print(f"| {name[0]} | {name[1]} | " + " | ".join(cells) + " |")
    totals = {}
    for method in methods:
        recall = sum(results[method][x][0] for x in names) / len(names)
        fp = sum(results[method][x][1] for x in names)
        pairs = sum(results[method][x][2] for x in names)
        totals[method] = (recall, fp, pairs)
    print("| **all** | mean | " + " | ".join(
        f"**{100 * r:.1f}% / {1e4 * f / max(1, p):.2f}**" for r, f, p in totals.values()) + " |")
    print("\nfalse-positive pairs (of all unrelated pairs), the closest unrelated pair, and "
          "hashing cost per query "
          f"(a picture of at most {MAX_SIDE} px a side):")
    for method, (recall, fp, pairs) in totals.items():
        print(f"   {method:18} recall {100 * recall:5.1f}%  FP {fp:5d} of {pairs:,} "
              f"({fp / max(1, pairs):.2e})  closest unrelated {margins[method][0]:3d} bits, "
              f"{margins[method][1]:4d} pairs <= {NEAR_MISS}  hashing {ms[method]:6.1f} ms "
              f"(x{ms[method] / max(1e-9, ms['plain']):.1f} plain)")
    plain_fp = totals["plain"][1] / max(1, totals["plain"][2])
    eligible = [m for m in methods if totals[m][1] / max(1, totals[m][2]) <= plain_fp]
    best = max(eligible, key=lambda m: totals[m][0])
    print(f"\nhighest recall with FP rate <= plain's ({plain_fp:.2e}): {best} "
          f"({100 * totals[best][0]:.1f}% against plain's {100 * totals['plain'][0]:.1f}%, "
          f"ratio {totals[best][0] / max(1e-9, totals['plain'][0]):.2f})")
    close = [m for m in eligible if totals[m][0] >= totals[best][0] - CLOSE]
    cheapest = min(close, key=lambda m: ms[m])
    print(f"the cheapest within {100 * CLOSE:.1f} points of it (the default's rule): {cheapest} "
          f"({100 * totals[cheapest][0]:.1f}%, {ms[cheapest]:.1f} ms a query against "
          f"{ms[best]:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="12 pictures, 2 strengths each")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--threshold", type=int, default=31)
    parser.add_argument("--shared", type=Path, default=SHARED,
                        help="the shared/ folder with the PDQ reference images")
    args = parser.parse_args()
    start = time.perf_counter()
    pictures = corpus(args.quick, args.shared)
    steps = transforms(args.quick)
    names = [(family, label) for family, label, _ in steps]
    print(f"{len(pictures)} pictures x {len(steps)} transforms, {args.workers} workers, "
          f"threshold {args.threshold}")
    jobs = [(i, image, args.quick) for i, (_, image) in enumerate(pictures)]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        done = sorted(pool.map(_work, jobs), key=lambda x: x[0])
    low = [pictures[i][0] for i, _, quality, _, _ in done if quality < MIN_QUALITY]
    if low:  # a bank does not index them (Settings.pdq_min_quality): nothing to find
        print(f"   left out, PDQ quality under {MIN_QUALITY}: {', '.join(low)}")
        done = [d for d in done if d[2] >= MIN_QUALITY]
    originals = [value for _, value, _, _, _ in done]
    copies = [per_image for _, _, _, per_image, _ in done]
    margins: Margins = {}
    results = score(originals, copies, names, args.threshold, margins)
    report(results, names, len(done), cost([t for *_, t in done]), margins)
    print(f"\n({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
