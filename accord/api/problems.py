"""Errors as RFC 9457 problem details (``application/problem+json``).

The status of each error class comes from the one table both web edges use,
``accord.errors.HTTP_STATUS``; this module only renders it. ``detail`` and ``hint`` read
in the caller's language (``?lang=``, else ``Accept-Language``, as the reports answer;
said in ``Content-Language``); ``type``, ``title`` and ``status`` never change with it,
and ``message_id``/``hint_id`` with ``params`` let a client translate the error itself.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord import i18n
from accord.api.deps import request_locale
from accord.api.routers.taxii import PREFIX as TAXII_PREFIX
from accord.api.routers.taxii import taxii_error
from accord.errors import AccordError, TooManyRequests, http_status

PROBLEM = "application/problem+json"


def problem_at(path: str, request_id: str | None, status: int, title: str, detail: str,
               **extra: Any) -> JSONResponse:
    """The one builder of a problem+json response: the handlers below and the
    middleware's refusals before any route runs (``accord.api.middleware``) send it."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail,
            "instance": path, "request_id": request_id, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def problem(request: Request, status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    """A problem+json response carrying the request id."""
    return problem_at(request.url.path, getattr(request.state, "request_id", None), status,
                      title, detail, **extra)


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None
    hint: str | None = Field(default=None, description="What to do about it.")
    message_id: str | None = Field(
        default=None, description="The English template of ``detail`` (the core catalogue's "
        "message id), e.g. ``no bank {ref}``; stable across languages.")
    hint_id: str | None = Field(default=None, description="The English template of ``hint``.")
    params: dict[str, Any] | None = Field(
        default=None, description="The values filling the templates' ``{fields}``, never "
        "translated.")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Each invalid field of the request (at most 20).")


def document(openapi: dict[str, Any]) -> None:
    """Describe error responses as they are sent: problem+json, from every operation.

    FastAPI documents only a 422 with its own ``application/json`` body, which
    ``install`` replaces; any route can also answer 401, 413, 429 or 5xx.
    """
    schemas = openapi.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = Problem.model_json_schema()
    content = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path_item in openapi.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {"description": "Invalid request", "content": content}
            responses["4XX"] = {"description": "Client error", "content": content}
            responses["5XX"] = {"description": "Server error", "content": content}


async def accord_error(request: Request, error: AccordError) -> JSONResponse:
    """An ``AccordError`` as problem details, with its status from ``HTTP_STATUS``."""
    locale = request_locale(request)
    detail, hint = error.localized(locale)
    extra: dict[str, Any] = {"hint": hint, "hint_id": error.hint_id} if hint else {}
    response = problem(request, http_status(error), error.title, detail, **extra,
                       message_id=error.message_id, params=error.public_params())
    response.headers["Content-Language"] = i18n.html_lang(locale)
    if isinstance(error, TooManyRequests):
        response.headers["Retry-After"] = str(max(1, round(error.retry_after)))
    return response


async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
    """A request that does not fit its schema, naming the first bad field."""
    errors = [{"loc": list(map(str, e.get("loc", ()))), "msg": str(e.get("msg", ""))}
              for e in error.errors()[:20]]
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    detail = f"{'.'.join(first['loc'][1:]) or 'body'}: {first['msg']}"
    return problem(request, 422, "Invalid request", detail, errors=errors)


async def http_error(request: Request, error: StarletteHTTPException) -> Response:
    """Starlette's own errors (404 for unknown paths, 405...) as problem details; under
    ``/taxii2/`` (a method no TAXII route knows, such as TRACE) as TAXII error messages,
    which is what TAXII clients read."""
    if request.url.path.startswith(TAXII_PREFIX + "/") or request.url.path == TAXII_PREFIX:
        response = taxii_error(error.status_code, str(error.detail),
                               f"{request.method} {str(error.detail).lower()} here")
        response.headers.update(error.headers or {})
        return response
    return problem(request, error.status_code, str(error.detail), str(error.detail))


async def unexpected(request: Request, error: Exception) -> JSONResponse:
    """Anything else: a 500 without internals (logged with the request id)."""
    return problem(request, 500, "Internal error",
                   "the server failed to handle this request; quote the request id")


async def error_response(request: Request, error: Exception) -> Response:
    """The problem response for any exception, as the installed handlers give it."""
    if isinstance(error, AccordError):
        return await accord_error(request, error)
    if isinstance(error, RequestValidationError):
        return await invalid_request(request, error)
    if isinstance(error, StarletteHTTPException):
        return await http_error(request, error)
    return await unexpected(request, error)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem details."""
    app.add_exception_handler(AccordError, accord_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, unexpected)
