"""Content previews: a partner's content-URL template, and reviewers' reveal preference.

A platform keeps its content in its own store. Its admin sets a template such as
``https://media.platform.example/{content_ref}``; the review desk turns each
match's opaque ``content_ref`` into a link and an ``<img>`` that the reviewer's
browser loads from that store. Accord itself never fetches, receives or stores
the content. The rules:

- https only, with a host, no user or password in it, at most 500 characters;
- exactly one ``{content_ref}`` placeholder, in the path or query (not the host);
- the content_ref is percent-encoded (every character but unreserved ones), so a
  reference can never change the host or add query parameters.

Previews are blurred and grey until revealed; a reviewer may choose to see them
revealed by default (``reveal_previews_set``).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from sqlalchemy import select

from accord import audit
from accord.errors import Invalid, PermissionDenied, trimmed
from accord.sharing.roles import Actor, Role
from accord.sharing.service import find_partner
from accord.store import models as m
from accord.store.database import Database

__all__ = ["EXAMPLE", "IMG_ORIGIN_HEADER", "PLACEHOLDER", "check_template", "content_url",
           "content_url_set", "content_url_template", "origin_of", "reveal_previews",
           "reveal_previews_set"]

PLACEHOLDER = "{content_ref}"
TEMPLATE_MAX = 500
EXAMPLE = "https://media.platform.example/{content_ref}"
# The private answer header by which a page asks the node's security headers to let
# its img-src allow the preview origin (``origin_of``); it never leaves the node.
IMG_ORIGIN_HEADER = "x-accord-img-origin"
_HINT = f"write it like {EXAMPLE}"


def check_template(text: str) -> str:
    """The template, checked (see the module's rules); ``Invalid`` says what is wrong."""
    template = text.strip()
    if len(template) > TEMPLATE_MAX:
        raise Invalid("the content-URL template has {template_count} characters; the limit is "
                      "{template_max}", hint=_HINT, template_count=len(template),
                      template_max=TEMPLATE_MAX)
    if template.count(PLACEHOLDER) != 1:
        raise Invalid("the content-URL template {template} must hold {placeholder} exactly once",
                      hint=_HINT, template=trimmed(template, 60), placeholder=PLACEHOLDER)
    parts = urlsplit(template.replace(PLACEHOLDER, "x"))
    if parts.scheme != "https" or not parts.hostname:
        raise Invalid("the content-URL template {template} must be an https:// address with a host",
                      hint=_HINT, template=trimmed(template, 60))
    if parts.username or parts.password or "{" in parts.netloc or \
            PLACEHOLDER in urlsplit(template).netloc:
        raise Invalid("the content-URL template {template} may not put {placeholder} or a "
                      "password in the host part", hint=_HINT, template=trimmed(template, 60),
                      placeholder=PLACEHOLDER)
    if any(c.isspace() or not c.isprintable() for c in template):
        raise Invalid("the content-URL template may not hold spaces or control characters",
                      hint=_HINT)
    return template


def content_url(template: str, content_ref: str) -> str:
    """The address of one item: the template with the reference percent-encoded."""
    return template.replace(PLACEHOLDER, quote(content_ref, safe=""))


def origin_of(template: str) -> str:
    """``scheme://host[:port]`` of a template, for the page's img-src policy."""
    parts = urlsplit(template.replace(PLACEHOLDER, "x"))
    return f"{parts.scheme}://{parts.netloc}"


def content_url_template(db: Database, partner_id: int) -> str | None:
    """The partner's template (None: previews are off)."""
    with db.reader() as session:
        partner = session.get(m.Partner, partner_id)
        return partner.content_url_template if partner else None


def content_url_set(db: Database, actor: Actor, template: str | None,
                    partner: str | int | None = None) -> str | None:
    """An admin of a partner sets (or, with None or "", clears) its template; audited.

    The operator names the partner; an admin sets their own partner's.
    """
    actor.require(frozenset({Role.ADMIN}), "set the partner's content-URL template")
    checked = check_template(template) if template and template.strip() else None
    with db.transaction() as session:
        if partner is None and actor.partner_id is None:
            raise Invalid("name the partner whose content-URL template to set",
                          hint="accord partner content-url PARTNER TEMPLATE")
        row = find_partner(session, partner if partner is not None else actor.partner_id or 0)
        actor.require_partner(row.id, "set another partner's content-URL template")
        row.content_url_template = checked
        partner_id = row.id
        audit.record(session, actor, audit.AuditAction.PARTNER_CONTENT_URL, "partner",
                     partner_id, {"template": checked})
    return checked


def reveal_previews(db: Database, actor: Actor) -> bool:
    """Whether the member chose to see previews revealed by default."""
    if actor.member_id is None:
        return False
    with db.reader() as session:
        found = session.execute(select(m.Member.reveal_previews)
                                .where(m.Member.id == actor.member_id)).scalar_one_or_none()
        return bool(found)


def reveal_previews_set(db: Database, actor: Actor, reveal: bool) -> bool:
    """A member's own choice: previews revealed (True) or blurred (False) by default."""
    if actor.member_id is None:
        raise PermissionDenied("only a member has a preview preference",
                               hint="sign in as a member")
    with db.transaction() as session:
        member = session.get_one(m.Member, actor.member_id)
        member.reveal_previews = reveal
    return reveal
