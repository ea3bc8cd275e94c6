"""Accord as a python-threatexchange exchange: ``threatexchange config extensions add accord.pytx``.

This package runs inside python-threatexchange's virtualenv, where Accord's own
dependencies are not installed: it imports only pytx, the standard library and
``requests`` (which pytx depends on), and never the rest of ``accord``
(tests/exchange/test_pytx_extension.py holds it to that). It reads an Accord node's
TAXII 2.1 collections, the feed other Accord nodes sync from, so the node applies
its one visibility rule to every page. See docs/exchanges.md, "Being fetched by HMA
and python-threatexchange".
"""

from threatexchange.extensions.manifest import ThreatExchangeExtensionManifest

from accord.pytx.exchange import AccordSignalExchangeAPI

TX_MANIFEST = ThreatExchangeExtensionManifest(apis=(AccordSignalExchangeAPI,))
