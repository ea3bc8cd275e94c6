"""How every page is served: the signed-in visit, rendering, errors and CSRF checks.

``WebRoute`` wraps each view: an ``AccordError`` becomes an HTML error page (GET)
or a flash message on the page the form came from (POST), never a traceback; so
does a path or query value that does not fit its type (an id "²" or
99999999999999999999 is "not found", not a JSON 422 or a database error);
``SignInRequired`` sends the browser to the sign-in page; and the session
cookie is written back when it changed.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.datastructures import FormData

from accord.audit import AuditEvent
from accord.errors import AccordError, Invalid, NotFound, http_status
from accord.i18n import translate
from accord.sharing.accounts import member_actor
from accord.sharing.roles import Actor, Role
from accord.sharing.service import OTHER_STAFF
from accord.sharing.visibility import Viewer
from accord.store.database import Database
from accord.web import i18n
from accord.web.audit_view import EventView, EventWords, event_views
from accord.web.i18n import N_
from accord.web.labels import LabelNames
from accord.web.nav import nav_for
from accord.web.objects import Named, Objects
from accord.web.session import SignInRequired, WebSession, check_csrf
from accord.web.state import WebState


class Visit:
    """One request to a page: who asks, in which language, and how to answer."""

    def __init__(self, request: Request, web: WebState, actor: Actor | None) -> None:
        self.request, self.web, self.actor = request, web, actor
        self.session: WebSession = web.codec.load(request)
        self.locale = i18n.choose(request.cookies.get(i18n.COOKIE),
                                  request.headers.get("accept-language"))
        self.t = i18n.Translator(self.locale)
        self._objects: Objects | None = None

    @property
    def db(self) -> Database:
        """The node's database."""
        return self.web.node.db

    @property
    def me(self) -> Actor:
        """The signed-in member (pages behind ``Member`` always have one)."""
        if self.actor is None:
            raise SignInRequired(N_("Please sign in."))
        return self.actor

    def viewer(self) -> Viewer:
        """What the member's partner may see."""
        partner = self.me.partner_id
        if partner is None:
            raise SignInRequired(N_("Please sign in as a member of a partner."))
        return self.web.node.viewer(partner)

    def has(self, roles: frozenset[Role]) -> bool:
        """True when the member holds one of ``roles`` (to show or hide an action)."""
        return self.actor is not None and (self.actor.is_operator or self.actor.role in roles)

    def objects(self) -> Objects:
        """How this page names objects for its reader (see ``accord.web.objects``)."""
        if self._objects is None:
            self._objects = Objects(self.db, self.me, self.t)
        return self._objects

    def bank_name(self, ref: object) -> Named:
        """A bank as the reader may know it: its name (and its owner's, when another
        partner's), or what a missing bank shows."""
        return self.objects().bank(ref)

    def who(self, name: str | None) -> str:
        """A member's name as the core gives it; another partner's staff in words."""
        return self.t.gettext(OTHER_STAFF) if name == OTHER_STAFF else name or ""

    def event_views(self, events: list[AuditEvent]) -> list[EventView]:
        """Audit events worded for the reader (``accord.web.audit_view``)."""
        words = EventWords(self.t, partial(translate, self.locale, "vocab"), self.objects())
        return event_views(events, words)

    def render(self, template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
        """A page (or an htmx fragment) in the reader's language. Templates show a codebook
        or taxonomy word (stored in English) as ``vocab(word)``."""
        t = self.t
        body = self.web.env.get_template(template).render(
            _=t.gettext, ngettext=t.ngettext, fmt=t, locale=self.locale,
            lang=i18n.html_lang(self.locale), dir=i18n.direction(self.locale),
            languages=[(code, i18n.language_name(code)) for code in i18n.LOCALES],
            me=self.actor, visit=self, csrf=self.session.csrf, path=self.request.url.path,
            nav=nav_for(self.actor), flash=self.session.take_flash(),
            labels=LabelNames(self.web.taxonomy, self.locale),
            vocab=partial(translate, self.locale, "vocab"), error_words=self.error_words,
            bank_name=self.bank_name, who=self.who,
            **context)
        return HTMLResponse(body, status_code=http_status)

    def error_words(self, error: AccordError) -> tuple[str, str]:
        """An error's message and hint ("" for none) in the reader's language: the core's
        from its catalogue (``core``), the UI's own (``N_``) from the UI's catalogue."""
        message, hint = error.localized(self.locale)
        return self.t.gettext(message), self.t.gettext(hint) if hint else ""

    def flash_error(self, error: AccordError) -> None:
        """Keep ``error`` to show on the next page, in the reader's language."""
        message, hint = self.error_words(error)
        self.session.set_flash("error", message, hint=hint)

    def redirect(self, url: str, message: str | None = None, **params: Any) -> Response:
        """See-other to ``url`` with an optional flash message (a catalogue id)."""
        if message is not None:
            self.session.set_flash("ok", message, **params)
        if self.request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)


def web_state(request: Request) -> WebState:
    """This worker's ``WebState``."""
    state: WebState = request.app.state.accord_web
    return state


async def anyone(request: Request) -> Visit:
    """A visit that may be anonymous (the sign-in page)."""
    web = web_state(request)
    session = web.codec.load(request)
    actor = None
    if session.member_id is not None:
        actor = member_actor(web.node.db, int(session.member_id), session.epoch)
        if actor is None:
            session.sign_out()
    visit = Visit(request, web, actor)
    request.state.web_visit = visit
    return visit


# The pages a sync-role member (a machine account that may also manage this node's peers)
# reaches besides the dashboard, which sends it to /peers. Sign-in, sign-out and the
# language switch take any visitor.
SYNC_PAGES = ("/peers",)


async def member(visit: Annotated[Visit, Depends(anyone)]) -> Visit:
    """A signed-in member's visit; others are sent to the sign-in page."""
    if visit.actor is None:
        raise SignInRequired(N_("Please sign in."))
    path = visit.request.url.path
    if path != "/" and not path.startswith(SYNC_PAGES):  # "/" sends a sync member to /peers
        visit.actor.require_beyond_sync(f"open {path}")
    return visit


async def posted(request: Request, visit: Annotated[Visit, Depends(anyone)]) -> FormData:
    """The POSTed form, once its CSRF token checks out."""
    await check_csrf(request, visit.session)
    return await request.form()


Anyone = Annotated[Visit, Depends(anyone)]
Member = Annotated[Visit, Depends(member)]
Posted = Annotated[FormData, Depends(posted)]


def field(form: FormData, name: str, default: str = "") -> str:
    """A text field of a form ('' when absent or a file)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else default


def _back(request: Request) -> str:
    """The same-site page a form was posted from, for answering an error."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.url.netloc:
        return "/"
    return (referer.path or "/") + (f"?{referer.query}" if referer.query else "")


class WebRoute(APIRoute):
    """A page route: typed errors become pages or flash messages; the session is saved."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def serve(request: Request) -> Response:
            web = web_state(request)
            try:
                response = await handler(request)
            except SignInRequired:
                target = request.url.path if request.method == "GET" else _back(request)
                response = RedirectResponse("/login?next=" + quote(target), status_code=303)
                if request.headers.get("hx-request"):
                    response = Response(status_code=204, headers={"HX-Redirect": "/login"})
            except AccordError as error:
                response = _error_response(request, web, error)
            except RequestValidationError as error:
                response = _error_response(request, web, _unfit(error))
            finally:
                await request.close()  # uploaded files of a form read by ``posted``
            web.codec.save(request, response)
            return response

        return serve


def _unfit(error: RequestValidationError) -> AccordError:
    """A typed error for a path or query value that does not fit its parameter."""
    places = {str(e.get("loc", ("",))[0]) for e in error.errors()}
    if "path" in places:
        return NotFound(N_("There is no such page."),
                        hint=N_("Ids in an address are whole numbers, e.g. /signals/12."))
    return Invalid(N_("A value in the address is not valid."),
                   hint=N_("Numbers are written with the digits 0-9, e.g. 12."))


def _error_response(request: Request, web: WebState, error: AccordError) -> Response:
    visit: Visit = getattr(request.state, "web_visit", None) or Visit(request, web, None)
    if request.method == "GET":
        status = http_status(error)
        return visit.render("error.html", http_status=status, error=error, status_code=status)
    visit.flash_error(error)
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": _back(request)})
    return RedirectResponse(_back(request), status_code=303)


def web_router() -> APIRouter:
    """A router for one page group."""
    return APIRouter(route_class=WebRoute, include_in_schema=False)
