"""Safeguards below the domains: personal-data checks on free text.

Accord never carries information about individual people (DESIGN.md section
10). ``personal_data`` is the detector (what looks like a passport, phone or
identity number, a date of birth, an e-mail address or a personal name);
``free_text`` is the one check every free text written into a record passes
(cooperation requests, answers, liaison records, programmes, flow sources,
crisis debriefs): length, NUL characters, then the detector with the node's
entity and partner names exempt. Incidents, review and cooperation sit above
this package; it knows nothing of them.

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""
