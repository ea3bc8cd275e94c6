"""Untrusted JSON (request bodies, uploaded files, peers' pages), read with one rule.

Python's parser recurses once per nesting level, so a body of 100,000 brackets raised
``RecursionError``, which no caller expected: a 500 on TAXII, a traceback on the CLI.
``loads`` turns it, like any unreadable JSON, into an ``Invalid`` naming what was read.
"""

from __future__ import annotations

import json
from typing import Any

from accord.errors import Invalid


def loads(raw: str | bytes, what: str) -> Any:
    """``raw`` parsed as JSON, or ``Invalid`` ("<what> is not JSON: ...") when it cannot be."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise Invalid("{what} is nested too deeply to read as JSON",
                      hint="no signal file, STIX bundle or TAXII envelope nests more than a few "
                           "dozen levels", what=what) from None
    except json.JSONDecodeError as exc:
        raise Invalid("{what} is not JSON: {msg} at line {lineno} column {colno}", what=what,
                      msg=exc.msg, lineno=exc.lineno, colno=exc.colno) from None
    except UnicodeDecodeError as exc:
        raise Invalid("{what} is not JSON: {exc}", what=what, exc=exc) from None
