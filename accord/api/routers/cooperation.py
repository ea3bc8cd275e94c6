"""Cooperation: requests between partners, liaison, programmes, designations, policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from accord.api.deps import ActorDep, IdPath, NodeDep
from accord.api.schemas.cooperation import (
    ActionIn,
    AgendaIn,
    AnswerIn,
    AssessmentIn,
    DialogueIn,
    PolicyIn,
    ProgrammeIn,
    RequestIn,
    StatusIn,
)
from accord.cooperation import designations, liaison, programmes, requests
from accord.cooperation.records import DesignationView, RequestRecord
from accord.errors import PermissionDenied
from accord.sharing.roles import Actor

router = APIRouter(prefix="/api/v1", tags=["cooperation"])
EntityRef = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9.-]+$")]


def _request(r: RequestRecord) -> dict[str, Any]:
    return {**asdict(r), "hours_to_answer": r.hours_to_answer}


def _partner(actor: Actor) -> int:
    if actor.partner_id is None:  # keys belong to members, so this means a broken store
        raise PermissionDenied("this key belongs to no partner")
    return actor.partner_id


@router.post("/requests", status_code=201)
def send_request(body: RequestIn, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Send a request to another partner; refused with a reason if its text looks like
    personal data or it references no object its purpose needs."""
    return _request(requests.request_send(node.db, actor, body.to, body.purpose, body.refs,
                                          body.text, tlp=body.tlp, channel=body.channel))


@router.get("/requests")
def list_requests(node: NodeDep, actor: ActorDep,
                  status: Annotated[str | None, Query(max_length=20)] = None
                  ) -> list[dict[str, Any]]:
    """Requests the caller's partner sent or received, newest first."""
    return [_request(r) for r in requests.request_list(node.db, actor, status=status)]


@router.get("/requests/statistics")
def request_statistics(node: NodeDep, actor: ActorDep, start: dt.date, end: dt.date
                       ) -> dict[str, Any]:
    """Counts and answer times of the requests sent from ``start`` to ``end`` (aggregates)."""
    return asdict(requests.request_statistics(node.db, requests.Period(start, end)))


@router.get("/requests/{request_id}")
def get_request(request_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """One request the caller's partner sent or received."""
    return _request(requests.request_get(node.db, actor, request_id))


@router.post("/requests/{request_id}/answer")
def answer_request(request_id: IdPath, body: AnswerIn, node: NodeDep, actor: ActorDep
                   ) -> dict[str, Any]:
    """Answer (or decline) a request sent to the caller's partner."""
    return _request(requests.request_answer(node.db, actor, request_id, body.answer,
                                            decline=body.decline))


@router.get("/entities/{ref}/designations")
def entity_designations(ref: EntityRef, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Who designates the entity, since when, on what source, who delisted it: side by side."""
    view: DesignationView = designations.designation_view(node.db, ref)
    return {**asdict(view), "divergent": view.divergent}


@router.get("/auto-action-policy")
def get_policy(node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """The caller's partner's auto-action policy: accepted designation sources, and whether
    it consents to auto-action of its own matches."""
    return asdict(designations.policy_get(node.db, str(_partner(actor))))


@router.put("/auto-action-policy")
def set_policy(body: PolicyIn, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Choose them (admins), and whether the partner's own matches may be auto-actioned;
    another partner's own list is refused."""
    return asdict(designations.policy_set(node.db, actor, str(_partner(actor)), body.sources,
                                          allow_auto_action=body.allow_auto_action))


@router.post("/dialogues", status_code=201)
def add_dialogue(body: DialogueIn, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Record a dialogue round with other partners."""
    return asdict(liaison.dialogue_add(node.db, actor, body.title, body.level, body.held_on,
                                       body.partners, venue=body.venue, tlp=body.tlp,
                                       channel=body.channel))


@router.get("/dialogues")
def list_dialogues(node: NodeDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Dialogue rounds the caller may see, newest first."""
    return [asdict(d) for d in liaison.dialogue_list(node.db, actor)]


@router.get("/dialogues/{dialogue_id}")
def get_dialogue(dialogue_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """One dialogue with its agenda and action items."""
    return asdict(liaison.dialogue_get(node.db, actor, dialogue_id))


@router.post("/dialogues/{dialogue_id}/agenda", status_code=201)
def add_agenda_item(dialogue_id: IdPath, body: AgendaIn, node: NodeDep, actor: ActorDep
                    ) -> dict[str, Any]:
    """Add an agenda item (about an Accord object that must exist)."""
    return asdict(liaison.agenda_add(node.db, actor, dialogue_id, body.title, body.ref))


@router.post("/dialogues/{dialogue_id}/actions", status_code=201)
def add_action_item(dialogue_id: IdPath, body: ActionIn, node: NodeDep, actor: ActorDep
                    ) -> dict[str, Any]:
    """Add an action item owned by one of the dialogue's partners."""
    return asdict(liaison.action_add(node.db, actor, dialogue_id, body.title, body.owner,
                                     body.due_on))


@router.post("/actions/{action_id}/status")
def set_action_status(action_id: IdPath, body: StatusIn, node: NodeDep, actor: ActorDep
                      ) -> dict[str, Any]:
    """Mark an action item done, dropped or open."""
    return asdict(liaison.action_set_status(node.db, actor, action_id, body.status))


@router.get("/actions/overdue")
def overdue_actions(node: NodeDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The caller's partner's open action items past their due date (reminders)."""
    return [asdict(a) for a in liaison.reminders(node.db, actor)]


@router.post("/programmes", status_code=201)
def add_programme(body: ProgrammeIn, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Propose a capacity-building programme led by the caller's partner."""
    return asdict(programmes.programme_add(
        node.db, actor, body.title, body.beneficiary, body.area, body.starts_on, body.ends_on,
        donors=body.donors, indicators=body.indicators, tlp=body.tlp, channel=body.channel))


@router.get("/programmes")
def list_programmes(node: NodeDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Programmes the caller may see."""
    return [asdict(p) for p in programmes.programme_list(node.db, actor)]


@router.get("/programmes/{programme_id}")
def get_programme(programme_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """One programme."""
    return asdict(programmes.programme_get(node.db, actor, programme_id))


@router.post("/programmes/{programme_id}/assessment")
def assess_programme(programme_id: IdPath, body: AssessmentIn, node: NodeDep,
                     actor: ActorDep) -> dict[str, Any]:
    """Record the human-rights due-diligence assessment (donors)."""
    return asdict(programmes.programme_assess(node.db, actor, programme_id, body.summary))


@router.post("/programmes/{programme_id}/status")
def set_programme_status(programme_id: IdPath, body: StatusIn, node: NodeDep,
                         actor: ActorDep) -> dict[str, Any]:
    """Change a programme's status; active needs a recorded assessment."""
    return asdict(programmes.programme_set_status(node.db, actor, programme_id, body.status))
