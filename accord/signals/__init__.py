"""Signal types: what Accord shares and matches (PDQ, video PDQ, text TLSH, digests, URLs).

Each type lives in its own module beside the interface in ``base.py``; the
registry lists the installed ones. ``hashing.py`` is the service that turns
files into signals, shared by the CLI and the HTTP API.

Dependency rule: this package imports no fastapi, typer, jinja2, accord.api,
accord.web or accord.cli.
"""

from __future__ import annotations

from accord.signals.base import (
    ContentHasher,
    HashOptions,
    HashResult,
    InvalidSignal,
    SignalType,
    TextHasher,
)
from accord.signals.registry import get_signal_type, signal_type_names

__all__ = [
    "ContentHasher",
    "HashOptions",
    "HashResult",
    "InvalidSignal",
    "SignalType",
    "TextHasher",
    "get_signal_type",
    "signal_type_names",
]
