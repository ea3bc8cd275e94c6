"""Type stub of the C extension ``accord.index._mih`` (source: ``_mih.c``)."""

from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

_Buf: TypeAlias = bytes | npt.NDArray[Any]

NCHUNKS: int
NBUCKETS: int
ORDER_AUTO: int
ORDER_QUERY: int
ORDER_BUCKET: int
ORDER_SWEPT: int

def search(
    codes: _Buf,
    offsets: _Buf | None,
    perms: _Buf | None,
    lows: _Buf | None,
    width: int,
    tomb: _Buf | None,
    queries: _Buf,
    radius: int,
    threads: int,
    order: int = -1,
    /,
) -> tuple[bytes, bytes, bytes]: ...
def build(
    codes: _Buf,
    width: int,
    offsets: npt.NDArray[np.uint32],
    perms: npt.NDArray[np.uint8],
    lows: npt.NDArray[np.uint8],
    /,
) -> None: ...
