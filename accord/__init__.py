"""Accord: an open-source counter-terrorism information-sharing hub.

Partners share hashes of known terrorist content with labels, provenance and a
TLP 2.0 marking; platforms match uploads against what they may see; people
review; nodes federate over TAXII 2.1. See ``docs/`` and ``DESIGN.md``.
"""

__version__ = "0.1.0"
