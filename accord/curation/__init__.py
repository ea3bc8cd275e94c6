"""Banks, signals, labels, opinions and bulk import/export: what curators do.

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""
