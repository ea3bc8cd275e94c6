"""Versioned, memory-mappable snapshots of index arrays (never pickle).

A snapshot is a folder: ``index.json`` (format name, version, counts, and for
every array its file, dtype, shape and CRC-32) beside one ``.npy`` file per
array. ``.npy`` files are read with ``allow_pickle=False`` and can be memory
mapped, so a large index reloads without copying. The header is written last,
under a temporary name then renamed, so a half-written snapshot has no header
(or the previous one, whose checksums then fail).
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from accord.errors import Invalid

HEADER = "index.json"
Arrays = dict[str, npt.NDArray[Any]]


def crc32(array: npt.NDArray[Any]) -> int:
    """CRC-32 of an array's bytes (reads memory-mapped pages once)."""
    flat = np.ascontiguousarray(array).reshape(-1).view(np.uint8)
    return zlib.crc32(flat.data)


def write(path: Path, fmt: str, version: int, meta: dict[str, int], arrays: Arrays) -> None:
    """Write ``arrays`` and a header naming ``fmt`` and ``version`` into folder ``path``."""
    path.mkdir(parents=True, exist_ok=True)
    described = {}
    for name, array in arrays.items():
        tmp = path / f".{name}.npy.tmp"
        with tmp.open("wb") as handle:
            np.save(handle, array, allow_pickle=False)
        os.replace(tmp, path / f"{name}.npy")
        described[name] = {"file": f"{name}.npy", "dtype": array.dtype.str,
                           "shape": list(array.shape), "crc32": crc32(array)}
    header = {"format": fmt, "version": version, **meta, "arrays": described}
    tmp = path / f".{HEADER}.tmp"
    tmp.write_text(json.dumps(header, indent=1, sort_keys=True))
    os.replace(tmp, path / HEADER)


def read(path: Path, fmt: str, version: int, mmap: bool, verify: bool) -> tuple[dict[str, Any],
                                                                               Arrays]:
    """The header and arrays of the snapshot in ``path``, checked against the header.

    Refuses (:class:`Invalid`) a missing or unreadable header, another format
    or version, and arrays whose file, dtype, shape or (with ``verify``)
    checksum differ from what the header says.
    """
    header = _read_header(path, fmt, version)
    arrays: Arrays = {}
    for name, spec in header["arrays"].items():
        arrays[name] = _read_array(path, name, spec, mmap, verify)
    return header, arrays


def _read_header(path: Path, fmt: str, version: int) -> dict[str, Any]:
    try:
        header = json.loads((path / HEADER).read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Invalid("{path} is not a readable index snapshot: {exc}",
                      hint="rebuild the index from the signal store", path=path, exc=exc) from None
    if not isinstance(header, dict) or header.get("format") != fmt:
        raise Invalid("{path} is not a {fmt} snapshot", path=path / HEADER, fmt=fmt)
    if header.get("version") != version:
        raise Invalid("{path} is snapshot version {version!r}; this Accord reads version "
                      "{version_2}", hint="rebuild the index from the signal store", path=path,
                      version=header.get('version'), version_2=version)
    if not isinstance(header.get("arrays"), dict):
        raise Invalid("{path} lists no arrays", path=path / HEADER)
    return header


def _read_array(path: Path, name: str, spec: Any, mmap: bool, verify: bool) -> npt.NDArray[Any]:
    try:
        file = path / Path(spec["file"]).name
        # np.asarray drops the np.memmap subclass; the pages stay mapped.
        array: npt.NDArray[Any] = np.asarray(np.load(file, mmap_mode="r" if mmap else None,
                                                     allow_pickle=False))
        if array.dtype.str != spec["dtype"] or list(array.shape) != spec["shape"]:
            raise Invalid("{file} holds {dtype} {shape}, header says {header_dtype} "
                          "{header_shape}", file=file, dtype=array.dtype.str,
                          shape=list(array.shape), header_dtype=spec["dtype"],
                          header_shape=spec["shape"])
        if verify and crc32(array) != spec["crc32"]:
            raise Invalid("{file} is corrupt (checksum mismatch)",
                          hint="rebuild the index from the signal store", file=file)
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        raise Invalid("array {name!r} of snapshot {path} is unreadable: {exc}",
                      hint="rebuild the index from the signal store", name=name, path=path,
                      exc=exc) from None
    return array
