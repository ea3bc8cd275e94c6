"""Entities: organisations (never persons), their aliases and their designations.

An entity is what an ``entity:...`` label cites. Each shows every designation
source that lists it (the UN Security Council Consolidated List, national and
regional lists) with listing and delisting dates, side by side; Accord shows
where sources disagree and never resolves it. ``un_list`` parses the UN list;
``service`` stores entities; ``policy`` decides which designation sources back a
bank's auto-action (the one place that decides it).

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from accord.entities.un_list import (
    Alias,
    ParsedDesignation,
    ParsedEntity,
    UnListParseResult,
    detect_script,
    parse_un_list,
)

__all__ = [
    "Alias",
    "ParsedDesignation",
    "ParsedEntity",
    "UnListParseResult",
    "detect_script",
    "parse_un_list",
]
