"""Sign-in (username and password, or an API key), sign-out and the language switch."""

from __future__ import annotations

from fastapi import Response
from fastapi.concurrency import run_in_threadpool

from accord.errors import PermissionDenied
from accord.sharing.accounts import password_authenticate
from accord.sharing.service import key_authenticate
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
    return visit.render("login.html", next=_safe_next(next), failed=False)


@router.post("/login")
async def login(visit: Anyone, form: Posted) -> Response:
    """Check a password or an API key; a new session on success."""
    username, password = field(form, "username"), str(form.get("password") or "")
    api_key = field(form, "api_key")
    try:
        if api_key:
            actor = await run_in_threadpool(key_authenticate, visit.db, api_key)
        else:
            actor = await run_in_threadpool(password_authenticate, visit.db, username, password)
    except PermissionDenied:
        return visit.render("login.html", http_status=401, next=_safe_next(field(form, "next")),
                            failed=True)
    if actor.member_id is None:
        raise PermissionDenied(N_("Only a partner's member may sign in."))
    visit.session.sign_in(actor.member_id)
    return visit.redirect(_safe_next(field(form, "next", "/")), N_("Signed in."))


@router.post("/logout")
def logout(visit: Anyone, form: Posted) -> Response:
    """End the session."""
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
