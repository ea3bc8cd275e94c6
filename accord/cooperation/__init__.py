"""Cooperation between partners: liaison (dialogues, agendas, action items), requests
between partners, designation divergence and the setting of auto-action policies,
capacity-building programmes and the offline bundle.

Free text is checked by ``accord.safeguards``; the auto-action policy itself (which
sources back auto-action) lives beside the designations in ``accord.entities.policy``;
the cooperation scenario is part of the demo (``accord.demo.scenario``).

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""
