"""Exchange: STIX 2.1 mapping and the ecosystem's file formats (HMA CSV, TAT JSON, MISP).

``stix`` maps Accord's records to STIX 2.1 objects and back; ``stix_extension``
holds the fixed identifiers (Accord's published ``extension-definition``, the
TLP 2.0 marking definitions). ``formats/`` reads and writes other hubs' signal
files as ``(line, SignalInput | RowError)`` rows that the bulk importer takes.
Everything here is pure: no database, no network. The TAXII server and the
sync client build on these modules.

Dependency rule: this package imports no fastapi, typer, jinja2, accord.api,
accord.web or accord.cli.
"""

from __future__ import annotations
