"""The review queue, verdicts, disputes, and webhooks with their deliveries."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query

from accord.api.deps import ActorDep, AfterQuery, IdPath, NodeDep
from accord.api.schemas.review import (
    CaseVerdictIn,
    ContentUrlIn,
    ContentUrlOut,
    DeliveryOut,
    DeskOut,
    MatchOut,
    PreviewPreference,
    ReassignIn,
    TrendsOut,
    VerdictIn,
    VerdictOut,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
)
from accord.reports.trends import DAYS, DAYS_MAX, review_trends
from accord.review import desk, preview, service, webhooks
from accord.review.desk import Desk
from accord.sharing.roles import CAN_REVIEW

router = APIRouter(prefix="/api/v1", tags=["review"])


@router.get("/review/queue", response_model=list[MatchOut])
def review_queue(
    node: NodeDep, actor: ActorDep, status: str = "pending",
    after: AfterQuery = 0, limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """Matches of the caller's partner in a review state, oldest first."""
    actor.require(CAN_REVIEW, "read the review queue")
    return [asdict(m) for m in service.review_queue(node.db, actor, state=status,
                                                    limit=limit, after_id=after)]


@router.get("/trends", response_model=TrendsOut)
def trends(node: NodeDep, actor: ActorDep,
           days: Annotated[int, Query(ge=1, le=DAYS_MAX)] = DAYS) -> dict[str, Any]:
    """Matches, verdicts and disputes per day over the last ``days`` UTC days, and the
    pending queue's age: the dashboard's trends, over what the caller may see."""
    return review_trends(node.db, actor, days=days).as_json()


@router.get("/review/desk", response_model=DeskOut)
def review_desk(
    node: NodeDep, actor: ActorDep, status: str = "pending", bank: str | None = None,
    label: str | None = None, age: str = "any", sort: str = "priority",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """The queue as cases (matches of one content_ref), most urgent first, with context."""
    found = desk.review_desk(node.db, actor, node.settings, state=status or None, bank=bank,
                             label=label, age=age, sort=sort, limit=limit)
    return desk_json(found)


def desk_json(found: Desk) -> dict[str, Any]:
    """The desk as the API answers it."""
    return {"counts": found.counts, "cases": [{
        "content_ref": case.content_ref, "priority": case.priority, "cards": [{
            "match": asdict(c.match), "priority": c.priority.score,
            "reasons": list(c.priority.reasons), "signal_status": c.signal_status,
            "disputes": c.disputes, "opinions": dict(c.opinions), "threshold": c.threshold,
            "crisis": c.crisis, "content_url": c.content_url} for c in case.cards],
    } for case in found.cases]}


@router.post("/review/cases/verdict", response_model=list[VerdictOut], status_code=201)
def decide_case(body: CaseVerdictIn, node: NodeDep, actor: ActorDep) -> list[dict[str, Any]]:
    """One verdict for every pending match of a content_ref; all or nothing."""
    return [asdict(v) for v in service.decide_case(node.db, actor, body.content_ref,
                                                   body.decision, body.rationale,
                                                   node.settings)]


@router.get("/review/content-url", response_model=ContentUrlOut)
def get_content_url(node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """The caller's partner's content-URL template, which turns content_ref into a link."""
    actor.require(CAN_REVIEW, "read the content-URL template")
    template = preview.content_url_template(node.db, actor.partner_id) \
        if actor.partner_id is not None else None
    return {"template": template}


@router.put("/review/content-url", response_model=ContentUrlOut)
def set_content_url(body: ContentUrlIn, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Set the partner's content-URL template (admins); null or "" turns previews off."""
    return {"template": preview.content_url_set(node.db, actor, body.template)}


@router.put("/review/preferences", response_model=PreviewPreference)
def set_preferences(body: PreviewPreference, node: NodeDep, actor: ActorDep
                    ) -> dict[str, Any]:
    """The caller's own choice: previews revealed (true) or blurred (false) by default."""
    return {"reveal_previews": preview.reveal_previews_set(node.db, actor,
                                                           body.reveal_previews)}


@router.get("/matches/{match_id}", response_model=MatchOut)
def get_match(match_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """One recorded match of the caller's partner."""
    return asdict(service.match_get(node.db, actor, match_id))


@router.post("/matches/{match_id}/claim", response_model=MatchOut)
def claim_match(match_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Take a match to review, so that no one else decides it meanwhile; the claim lapses
    after ``ACCORD_REVIEW_CLAIM_SECONDS`` (claiming again renews it)."""
    return asdict(service.claim(node.db, actor, match_id, node.settings))


@router.post("/matches/{match_id}/release", response_model=MatchOut)
def release_match(match_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Give a claimed match back to the queue (its holder, or an admin)."""
    return asdict(service.release(node.db, actor, match_id))


@router.post("/matches/{match_id}/reassign", response_model=MatchOut)
def reassign_match(match_id: IdPath, body: ReassignIn, node: NodeDep, actor: ActorDep
                   ) -> dict[str, Any]:
    """An admin hands a match to another reviewer of the partner."""
    return asdict(service.reassign(node.db, actor, match_id, body.member, node.settings))


@router.post("/matches/{match_id}/undo", response_model=MatchOut)
def undo_verdict(match_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Undo one's own verdict within ``ACCORD_REVIEW_UNDO_SECONDS``; the match is pending
    again, and the verdict's held webhook events are cancelled."""
    return asdict(service.undo(node.db, actor, match_id, node.settings))


@router.post("/matches/{match_id}/verdict", response_model=VerdictOut, status_code=201)
def decide(match_id: IdPath, body: VerdictIn, node: NodeDep, actor: ActorDep
           ) -> dict[str, Any]:
    """Confirm or reject a match, with a rationale; a reject may dispute the signal."""
    return asdict(service.decide(node.db, actor, match_id, body.decision, body.rationale,
                                 node.settings, false_positive=body.false_positive))


@router.get("/disputes")
def disputes(node: NodeDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The caller's partner's signals that other partners disputed, with their notes."""
    return [asdict(d) for d in service.disputed_signals(node.db, actor)]


@router.post("/webhooks", response_model=WebhookCreated, status_code=201)
def add_webhook(body: WebhookIn, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Register a webhook; the signing secret is in this response only."""
    record, secret = webhooks.webhook_add(node.db, actor, body.url, body.events,
                                           settings=node.settings)
    return {"webhook": asdict(record), "secret": secret}


@router.get("/webhooks", response_model=list[WebhookOut])
def list_webhooks(node: NodeDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The caller's partner's webhooks."""
    return [asdict(w) for w in webhooks.webhook_list(node.db, actor)]


@router.post("/webhooks/{webhook_id}/pause", response_model=WebhookOut)
def pause_webhook(webhook_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Pause a webhook: it gets no new deliveries until resumed."""
    return asdict(webhooks.webhook_set_active(node.db, actor, webhook_id, False))


@router.post("/webhooks/{webhook_id}/resume", response_model=WebhookOut)
def resume_webhook(webhook_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Resume a paused webhook."""
    return asdict(webhooks.webhook_set_active(node.db, actor, webhook_id, True))


@router.delete("/webhooks/{webhook_id}", response_model=WebhookOut)
def delete_webhook(webhook_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Delete a webhook with its secret and deliveries; answers the removed webhook."""
    return asdict(webhooks.webhook_delete(node.db, actor, webhook_id))


@router.post("/webhooks/{webhook_id}/test", response_model=DeliveryOut, status_code=202)
def test_webhook(webhook_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Queue a signed ``ping`` delivery to the webhook."""
    return asdict(webhooks.webhook_test(node.db, actor, webhook_id))


@router.get("/webhooks/{webhook_id}/deliveries", response_model=list[DeliveryOut])
def list_deliveries(webhook_id: IdPath, node: NodeDep, actor: ActorDep,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict[str, Any]]:
    """Every delivery attempt of a webhook, newest first."""
    return [asdict(d) for d in webhooks.delivery_list(node.db, actor, webhook_id,
                                                      limit=limit)]
