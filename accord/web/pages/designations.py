"""An entity's designations side by side: who lists it, since when, who delisted it."""

from __future__ import annotations

from fastapi import Response

from accord.cooperation.designations import designation_view
from accord.web.routing import Member, web_router

router = web_router()


@router.get("/entities/{ref}/designations")
def designations_page(visit: Member, ref: str) -> Response:
    """Every designation source of the entity; Accord shows disagreement, never resolves it."""
    return visit.render("designations.html", view=designation_view(visit.db, ref))
