"""Sign-in (username and password, or an API key), sign-out and the language switch.

Failed sign-ins are throttled per account and per client address
(``accord.sharing.throttle``): while locked, the form answers 429 with
``Retry-After``, whatever the password.
"""

from __future__ import annotations

import math

from fastapi import Response
from fastapi.concurrency import run_in_threadpool

from accord.config import Settings
from accord.errors import PermissionDenied, TooManyRequests
from accord.sharing import accounts
from accord.sharing.throttle import ThrottlePolicy
from accord.web import i18n
from accord.web.i18n import N_
from accord.web.routing import Anyone, Posted, field, web_router
from accord.web.session import over_tls

router = web_router()


def _safe_next(target: str) -> str:
    """Only a path on this site (no ``//host``, ``/\\host`` or scheme) is followed."""
    return target if target.startswith("/") and target[1:2] not in ("/", "\\") else "/"


@router.get("/login")
def login_page(visit: Anyone, next: str = "/") -> Response:
    """The sign-in form."""
    return visit.render("login.html", next=_safe_next(next), failed=False, locked=0,
                        username="")


def throttle_policy(settings: Settings) -> ThrottlePolicy:
    """The node's sign-in throttle settings."""
    return ThrottlePolicy(
        max_failures=settings.sign_in_max_failures,
        client_max_failures=settings.sign_in_client_max_failures,
        lockout_seconds=settings.sign_in_lockout_seconds,
        max_lockout_seconds=settings.sign_in_max_lockout_seconds,
        window_seconds=settings.sign_in_window_seconds)


@router.post("/login")
async def login(visit: Anyone, form: Posted) -> Response:
    """Check a password or an API key; a new session on success."""
    username, password = field(form, "username"), str(form.get("password") or "")
    api_key = field(form, "api_key")
    policy = throttle_policy(visit.web.node.settings)
    client = visit.request.client.host if visit.request.client else None
    next_page = _safe_next(field(form, "next"))
    try:
        if api_key:
            actor = await run_in_threadpool(accounts.key_sign_in, visit.db, api_key,
                                            client=client, policy=policy)
        else:
            actor = await run_in_threadpool(accounts.password_authenticate, visit.db,
                                            username, password, client=client, policy=policy)
    except TooManyRequests as error:
        wait = max(1, math.ceil(error.retry_after))
        answer = visit.render("login.html", http_status=429, next=next_page, failed=False,
                              locked=wait, username=username)
        answer.headers["Retry-After"] = str(wait)
        return answer
    except PermissionDenied:
        return visit.render("login.html", http_status=401, next=next_page, failed=True,
                            locked=0, username=username)  # typed again: only the password
    if actor.member_id is None:
        raise PermissionDenied(N_("Only a partner's member may sign in."))
    epoch = await run_in_threadpool(accounts.session_epoch, visit.db, actor.member_id)
    visit.session.sign_in(actor.member_id, epoch)
    return visit.redirect(_safe_next(field(form, "next", "/")), N_("Signed in."))


@router.post("/logout")
def logout(visit: Anyone, form: Posted) -> Response:
    """End the session, and every other session of the member (audited)."""
    if visit.actor is not None:
        accounts.sign_out(visit.db, visit.actor)
    visit.session.sign_out()
    return visit.redirect("/login", N_("Signed out."))


@router.post("/language")
def language(visit: Anyone, form: Posted) -> Response:
    """Remember the reader's language in a cookie, then go back to the page."""
    chosen = field(form, "locale")
    response = visit.redirect(_safe_next(field(form, "next", "/")))
    if chosen in i18n.LOCALES:
        response.set_cookie(i18n.COOKIE, chosen, max_age=365 * 24 * 3600, samesite="lax",
                            path="/", secure=over_tls(visit.request))
    return response
