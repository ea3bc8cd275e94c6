"""Exchange: STIX 2.1, TAXII 2.1 (server core and sync client), the ecosystem's files.

``stix`` maps Accord's records to STIX 2.1 objects and back; ``stix_extension``
holds the fixed identifiers (Accord's published ``extension-definition``, the
TLP 2.0 marking definitions). ``formats/`` reads and writes other hubs' signal
files as ``(line, SignalInput | RowError)`` rows that the bulk importer takes.
Those are pure: no database, no network. On them: ``taxii/`` (the TAXII 2.1
server's collections, pages, ingest and status; ``accord.api.routers.taxii``
is its edge), ``peers`` and ``sync`` (``accord sync``: a TAXII client), and
``files`` (``accord import`` / ``accord export`` in every format).
See docs/federation.md.

Dependency rule: this package imports no fastapi, typer, jinja2, accord.api,
accord.web or accord.cli.
"""

from __future__ import annotations
