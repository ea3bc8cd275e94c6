"""Exchange: STIX 2.1, TAXII 2.1 (server core and sync client), the ecosystem's files.

``indicator`` is the one writer and the one reader of a signal's STIX 2.1
``indicator``; ``stix`` maps Accord's other records to STIX objects, bundles
them and validates; ``stix_common`` holds what every STIX path shares (the
fixed identifiers, deterministic ids, STIX times, TLP markings). ``formats/``
reads and writes other hubs' signal files as ``(line, SignalInput | RowError)``
rows that the bulk importer takes. Those are pure: no database, no network.
On them: ``taxii/`` (the TAXII 2.1 server's collections, pages, ingest and
status; ``accord.api.routers.taxii`` is its edge), ``peers`` and ``sync``
(``accord sync``: a TAXII client), ``rehearsal`` (its dry run), and ``files``
(``accord import`` / ``accord export`` in every format).
See docs/federation.md.

Dependency rule: this package imports no fastapi, typer, jinja2, accord.api,
accord.web or accord.cli.
"""

from __future__ import annotations
