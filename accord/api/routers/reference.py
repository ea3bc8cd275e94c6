"""Entities (with designations side by side) and the label taxonomy."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from accord.api.deps import ActorDep, LocaleDep, NodeDep
from accord.entities import service as entities
from accord.i18n import translate
from accord.taxonomy import load_taxonomy

router = APIRouter(prefix="/api/v1", tags=["reference"])


@router.get("/entities")
def list_entities(node: NodeDep, actor: ActorDep, q: str = "") -> list[dict[str, object]]:
    """Organisations with their aliases and every designation source; with ``q``, only those
    whose reference, name or an alias in any script holds it (``?q=ETIM``)."""
    found = entities.entity_search(node.db, q) if q.strip() else entities.entity_list(node.db)
    return [asdict(e) for e in found]


@router.get("/entities/{ref}")
def get_entity(ref: str, node: NodeDep, actor: ActorDep) -> dict[str, object]:
    """One organisation by its label reference (``qde-004``)."""
    return asdict(entities.entity_get(node.db, ref))


@router.get("/taxonomy")
def taxonomy(actor: ActorDep, locale: LocaleDep) -> dict[str, object]:
    """The published label taxonomy: entries with English and Chinese titles and the English
    definition, plus ``title_local`` and ``definition_local`` in the reader's language
    (``lang``: ``?lang=`` or ``Accept-Language``)."""
    tax = load_taxonomy()

    def local(text: str) -> str:
        return translate(locale, "vocab", text)

    return {"name": tax.name, "version": tax.version, "lang": locale,
            "entries": [{"label": str(e.label), "title": e.title, "title_zh": e.title_zh,
                         "definition": e.definition, "title_local": local(e.title),
                         "definition_local": local(e.definition)} for e in tax.entries()]}
