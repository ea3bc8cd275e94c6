"""256-bit hash codes as numpy arrays: conversion, validation, brute-force search.

A code is 32 bytes in big-endian bit order, exactly ``bytes.fromhex(pdq_hex)``;
an array of ``n`` codes is ``uint8`` of shape ``(n, 32)``. :func:`brute_force`
is the plain-numpy reference that the index is tested and benchmarked against.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from accord.errors import Invalid, trimmed

CODE_BYTES = 32
CODE_BITS = 8 * CODE_BYTES
_BRUTE_BLOCK = 1 << 20  # rows per numpy pass, bounds the temporaries to ~40 MB

Codes = npt.NDArray[np.uint8]
Ids = npt.NDArray[np.int64]


def hex_to_array(values: Sequence[str]) -> Codes:
    """Parse PDQ hex strings (64 hex digits each) into a ``(n, 32)`` uint8 array."""
    for index, value in enumerate(values):
        if not isinstance(value, str) or len(value) != 2 * CODE_BYTES:
            raise Invalid("hash {index} ({value}) is not {digits} hex digits",
                          hint="a PDQ hash is 256 bits written as 64 hexadecimal digits",
                          index=index, value=trimmed(value), digits=2 * CODE_BYTES)
    try:
        raw = bytes.fromhex("".join(values))
    except ValueError:
        bad = next(i for i, v in enumerate(values) if not _is_hex(v))
        raise Invalid("hash {bad} ({values}) is not hexadecimal",
                      hint="a PDQ hash is 256 bits written as 64 hexadecimal digits", bad=bad,
                      values=trimmed(values[bad])) from None
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, CODE_BYTES).copy()


def _is_hex(value: str) -> bool:
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def as_query(query: object) -> bytes:
    """One query code as 32 bytes; anything else is :class:`Invalid`."""
    if isinstance(query, bytes | bytearray | memoryview):
        raw = bytes(query)
        if len(raw) != CODE_BYTES:
            raise Invalid("query is {raw_count} bytes, expected {code_bytes}",
                          hint="pass bytes.fromhex(pdq_hex) or a uint8 array of shape (32,)",
                          raw_count=len(raw), code_bytes=CODE_BYTES)
        return raw
    if isinstance(query, np.ndarray):
        if query.dtype != np.uint8 or query.shape != (CODE_BYTES,):
            raise Invalid("query array is {dtype} of shape {shape}, expected uint8 of shape "
                          "({code_bytes},)",
                          hint="convert hex with accord.index.hex_to_array(...)[0]",
                          dtype=query.dtype, shape=query.shape, code_bytes=CODE_BYTES)
        return query.tobytes()
    raise Invalid("query {query} is a {kind}, expected bytes or a uint8 array",
                  hint="convert a hex PDQ hash with bytes.fromhex(pdq_hex)", query=trimmed(query),
                  kind=type(query).__name__)


def as_codes(codes: object, what: str = "hashes") -> Codes:
    """A C-contiguous ``(n, 32)`` uint8 array, or :class:`Invalid`."""
    if not isinstance(codes, np.ndarray) or codes.dtype != np.uint8 or codes.ndim != 2 \
            or codes.shape[1] != CODE_BYTES:
        shape = getattr(codes, "shape", None)
        dtype = getattr(codes, "dtype", type(codes).__name__)
        raise Invalid("{what} are {dtype} of shape {shape}, expected uint8 of shape (n, "
                      "{code_bytes})", hint="convert hex strings with accord.index.hex_to_array",
                      what=what, dtype=dtype, shape=shape, code_bytes=CODE_BYTES)
    return np.ascontiguousarray(codes)


def as_ids(ids: object, count: int | None = None) -> Ids:
    """A 1-D int64 id array (of length ``count`` when given), or :class:`Invalid`."""
    if not isinstance(ids, np.ndarray) or ids.ndim != 1 or ids.dtype.kind not in "iu" \
            or (ids.dtype.kind == "u" and ids.size and int(ids.max()) > np.iinfo(np.int64).max):
        raise Invalid("ids must be a 1-D integer array, got {getattr}",
                      hint="pass np.asarray(ids, dtype=np.int64)",
                      getattr=trimmed(getattr(ids, 'dtype', ids)))
    if count is not None and ids.shape[0] != count:
        raise Invalid("{shape} ids for {count} hashes; expected one id per hash",
                      shape=ids.shape[0], count=count)
    return np.ascontiguousarray(ids, dtype=np.int64)


def as_radius(radius: object) -> int:
    """A Hamming radius between 0 and 256, or :class:`Invalid`."""
    if isinstance(radius, bool) or not isinstance(radius, int | np.integer) \
            or not 0 <= int(radius) <= CODE_BITS:
        raise Invalid("radius {radius} is not an integer between 0 and {code_bits}",
                      hint="PDQ's usual match threshold is 31", radius=trimmed(radius),
                      code_bits=CODE_BITS)
    return int(radius)


def brute_force(hashes: npt.NDArray[np.uint8], query: bytes | npt.NDArray[np.uint8],
                radius: int) -> npt.NDArray[np.int64]:
    """Row numbers of ``hashes`` within ``radius`` bits of ``query``, ascending.

    The reference implementation: xor and ``np.bitwise_count`` over all rows,
    in blocks so that the temporaries stay small.
    """
    codes = as_codes(hashes).view(np.uint64)
    q = np.frombuffer(as_query(query), dtype=np.uint64)
    rows = []
    for start in range(0, codes.shape[0], _BRUTE_BLOCK):
        block = codes[start:start + _BRUTE_BLOCK]
        dist = np.bitwise_count(block ^ q).sum(axis=1, dtype=np.int32)
        rows.append(np.flatnonzero(dist <= radius) + start)
    return np.concatenate(rows).astype(np.int64) if rows else np.empty(0, np.int64)
