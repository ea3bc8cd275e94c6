"""The TAXII 2.1 server's core: collections, object pages, ingest, status resources.

``collections`` says which collections a partner may read or write (one per
TLP scope and channel); ``pages`` answers GET objects/manifest/versions with
a strictly monotonic, exclusive cursor over ``signals.sync_seq``; ``render``
turns stored rows into STIX indicators quickly; ``ingest`` applies STIX
indicators to a bank (new ones added, revoked ones retracted, idempotent) for
POSTs, ``accord sync`` and envelope files; ``status`` keeps POST outcomes.

Pure service code: no fastapi, no HTTP. ``accord.api.routers.taxii`` is the edge.
"""

from __future__ import annotations

MEDIA_TYPE_TAXII = "application/taxii+json;version=2.1"
MEDIA_TYPE_STIX = "application/stix+json;version=2.1"
