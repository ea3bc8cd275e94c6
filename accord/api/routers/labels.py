"""Fixing labels: label edits and their history, dispute threads, label proposals."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from accord.api.deps import MAX_ID, ActorDep, IdPath, NodeDep
from accord.api.schemas.curation import SignalOut
from accord.api.schemas.labels import (
    LabelsSet,
    LabelVersionOut,
    MessageCreate,
    MessageOut,
    ProposalAnswer,
    ProposalCreate,
    ProposalOut,
)
from accord.curation import disputes, label_edits, proposals

router = APIRouter(prefix="/api/v1", tags=["labels"])


@router.put("/signals/{signal_id}/labels", response_model=SignalOut)
def set_labels(signal_id: IdPath, body: LabelsSet, node: NodeDep, actor: ActorDep
               ) -> dict[str, object]:
    """Replace the labels of the caller's partner's signal (a new version; peers get it)."""
    return asdict(label_edits.label_set(node.db, actor, signal_id, body.labels, body.reason))


@router.get("/signals/{signal_id}/labels/history", response_model=list[LabelVersionOut])
def label_history(signal_id: IdPath, node: NodeDep, actor: ActorDep
                  ) -> list[dict[str, object]]:
    """The versions of a signal's labels, oldest first."""
    return [asdict(v) for v in label_edits.label_history(node.db, actor, signal_id)]


@router.get("/disputes/{opinion_id}/messages", response_model=list[MessageOut])
def dispute_messages(opinion_id: IdPath, node: NodeDep, actor: ActorDep
                     ) -> list[dict[str, object]]:
    """The thread of a dispute (an opinion id) between the signal's owner and the disputer."""
    return [asdict(msg) for msg in disputes.dispute_messages(node.db, actor, opinion_id)]


@router.post("/disputes/{opinion_id}/messages", response_model=MessageOut, status_code=201)
def dispute_reply(opinion_id: IdPath, body: MessageCreate, node: NodeDep, actor: ActorDep
                  ) -> dict[str, object]:
    """Write in a dispute's thread, as the signal's owner or the disputing partner."""
    return asdict(disputes.dispute_reply(node.db, actor, opinion_id, body.text))


@router.post("/signals/{signal_id}/proposals", response_model=ProposalOut, status_code=201)
def propose(signal_id: IdPath, body: ProposalCreate, node: NodeDep, actor: ActorDep
            ) -> dict[str, object]:
    """Propose labels to add to or remove from another partner's signal."""
    return asdict(proposals.proposal_add(node.db, actor, signal_id, body.add, body.remove,
                                         body.reason))


@router.get("/proposals", response_model=list[ProposalOut])
def list_proposals(node: NodeDep, actor: ActorDep,
                   status: Annotated[str | None, Query(max_length=20)] = "open",
                   signal_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                   ) -> list[dict[str, object]]:
    """Proposals on the caller's partner's signals and its own, newest first ("all" for
    every status)."""
    wanted = None if status == "all" else status
    return [asdict(p) for p in proposals.proposal_list(node.db, actor, status=wanted,
                                                       signal_id=signal_id)]


@router.post("/proposals/{proposal_id}/accept", response_model=ProposalOut)
def accept(proposal_id: IdPath, body: ProposalAnswer, node: NodeDep, actor: ActorDep
           ) -> dict[str, object]:
    """Accept a proposal on the caller's partner's signal: its change is applied."""
    return asdict(proposals.proposal_accept(node.db, actor, proposal_id, body.reason))


@router.post("/proposals/{proposal_id}/refuse", response_model=ProposalOut)
def refuse(proposal_id: IdPath, body: ProposalAnswer, node: NodeDep, actor: ActorDep
           ) -> dict[str, object]:
    """Refuse a proposal on the caller's partner's signal, saying why."""
    return asdict(proposals.proposal_refuse(node.db, actor, proposal_id, body.reason))
