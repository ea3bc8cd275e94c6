"""Partners, members, roles, API keys, channels and TLP 2.0.

``accord.sharing.visibility`` is the single place that answers "may partner P
see item X?" (and "may it leave the node?"); matching, the API, the UI,
exports and sync all ask it. Services acting for an ``Actor`` ask through its
actor-level entries (``viewer_of``, ``actor_may_see``, ``actor_visible_clause``),
which hold the node operator's rule.

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""
