"""Cooperation between partners: liaison (dialogues, agendas, action items), requests
between partners, designation divergence and auto-action policy, capacity-building
programmes, the offline bundle, and the personal-data detector guarding free text.

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""
