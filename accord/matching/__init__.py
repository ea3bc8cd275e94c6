"""Matching: content and hashes against every signal the caller may see.

``engine.MatchEngine`` keeps in-memory indexes of all matchable signals current
with the store, one per signal type of the kind the type declares (its jobs
are the modules ``indexes``, ``columns``, ``bulk``, ``snapshot``, ``feed`` and
``lookup``); ``scan`` runs retro-scans of whole corpora; ``service`` is what
the CLI and the API call: it hashes files, asks the engine, applies the
visibility rule and returns plain results.

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""
