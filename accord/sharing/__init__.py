"""Partners, members, roles, API keys, channels and TLP 2.0.

``accord.sharing.visibility`` is the single place that answers "may partner P
see item X?"; matching, the API, the UI, exports and sync all ask it.

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""
