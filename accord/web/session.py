"""Signed-cookie sessions, CSRF tokens and flash messages for the web UI.

The session is a small JSON object in a cookie signed with ``itsdangerous``
(HMAC-SHA1 over the content and a timestamp): the member id and its session
epoch once signed in, a CSRF token, and the next flash message. Nothing secret
is in it, and every worker of a node accepts it. The epoch is what ends a
session before the cookie expires: the member's row holds the current one,
raised by sign-out, a revoked key, a new password and deactivation
(``accord.sharing.accounts``), and a cookie with an older one is signed out. The
signing key is ``ACCORD_WEB_SECRET_KEY`` or a random key kept in
``HOME/web-secret.key``. Every POST must carry the token (form field
``csrf_token`` or header ``X-CSRF-Token``, which htmx sends).
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from accord.config import Settings
from accord.errors import AccordError, PermissionDenied
from accord.web.i18n import N_

COOKIE = "accord_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class SignInRequired(AccordError):
    """The page needs a signed-in member; the UI answers with the sign-in page."""

    title = "Sign in"


def secret_key(settings: Settings) -> str:
    """The configured key, or the node's own random key (made once, shared by workers)."""
    if settings.web_secret_key:
        return settings.web_secret_key
    path = Path(settings.home) / "web-secret.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    for _ in range(50):  # another worker may be writing it this very moment
        text = path.read_text().strip()
        if text:
            return text
    raise PermissionDenied(N_("The session key file is empty."),
                           hint=N_("Delete HOME/web-secret.key and restart, or set "
                                   "ACCORD_WEB_SECRET_KEY."))


@dataclass
class WebSession:
    """What the cookie holds; ``changed`` says whether to send it again."""

    csrf: str
    member_id: int | None = None
    epoch: int = 0
    flash: list[Any] | None = None
    changed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def sign_in(self, member_id: int, epoch: int) -> None:
        """Start a member's session with a fresh CSRF token (no session fixation)."""
        self.member_id, self.csrf, self.changed = member_id, secrets.token_urlsafe(32), True
        self.epoch = epoch

    def sign_out(self) -> None:
        """Forget the member; a new token for the anonymous session."""
        self.member_id, self.csrf, self.changed = None, secrets.token_urlsafe(32), True
        self.epoch = 0

    def set_flash(self, kind: str, message: str, **params: Any) -> None:
        """Keep a message to show on the next page (``message`` is a catalogue id)."""
        self.flash, self.changed = [kind, message, params], True

    def take_flash(self) -> list[Any] | None:
        """The pending message, removed from the session."""
        found, self.flash = self.flash, None
        if found is not None:
            self.changed = True
        return found


def over_tls(request: Request) -> bool:
    """Whether the browser reached the node over HTTPS (directly, or through a proxy whose
    ``X-Forwarded-Proto`` uvicorn trusts): cookies are then sent Secure."""
    return request.url.scheme == "https"


class SessionCodec:
    """Reads and writes the session cookie."""

    def __init__(self, settings: Settings) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key(settings), salt="accord-web")
        self.max_age = int(settings.web_session_hours * 3600)
        self.secure = settings.web_secure_cookies

    def load(self, request: Request) -> WebSession:
        """The request's session (cached on the request); a fresh one when absent or bad."""
        cached: WebSession | None = getattr(request.state, "web_session", None)
        if cached is not None:
            return cached
        data: dict[str, Any] = {}
        raw = request.cookies.get(COOKIE)
        if raw:
            with contextlib.suppress(BadSignature):
                loaded = self._serializer.loads(raw, max_age=self.max_age)
                data = loaded if isinstance(loaded, dict) else {}
        epoch = data.get("e")
        session = WebSession(csrf=str(data.get("c") or ""), member_id=data.get("m"),
                             epoch=epoch if isinstance(epoch, int) else -1,
                             flash=data.get("f"))
        if not session.csrf:
            session.csrf, session.changed = secrets.token_urlsafe(32), True
        request.state.web_session = session
        return session

    def save(self, request: Request, response: Response) -> None:
        """Send the cookie when the session changed during the request."""
        session: WebSession | None = getattr(request.state, "web_session", None)
        if session is None or not session.changed:
            return
        value = self._serializer.dumps({"c": session.csrf, "m": session.member_id,
                                        "e": session.epoch, "f": session.flash})
        response.set_cookie(COOKIE, value, max_age=self.max_age, httponly=True,
                            samesite="lax", secure=self.secure or over_tls(request), path="/")


async def check_csrf(request: Request, session: WebSession) -> None:
    """Refuse a POST whose token is missing or differs from the session's."""
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not given or not hmac.compare_digest(given, session.csrf):
        raise PermissionDenied(N_("The form's security token is missing or out of date."),
                               hint=N_("Reload the page and submit the form again."))
