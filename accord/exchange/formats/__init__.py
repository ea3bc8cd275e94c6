"""Other hubs' signal files: HMA / python-threatexchange lists, Tech Against Terrorism JSON, MISP.

One module per format, each with ``read_*`` (an iterator of ``(number,
SignalInput | RowError)`` rows, the shape ``accord.curation.importer.import_rows``
takes) and ``write_*``. A bad row never stops the rows after it; a file that
cannot be read at all raises ``accord.errors.Invalid``. Column and field
mappings are in ``docs/stix-mapping.md``.
"""

from __future__ import annotations

from accord.exchange.formats.hma import read_hma, write_hma
from accord.exchange.formats.misp import read_misp_event, write_misp_event
from accord.exchange.formats.tat import read_tat_json, write_tat_json

__all__ = [
    "read_hma",
    "read_misp_event",
    "read_tat_json",
    "write_hma",
    "write_misp_event",
    "write_tat_json",
]
