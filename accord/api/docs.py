"""The interactive API page, ``/docs``: Swagger UI served from this package.

FastAPI's own page loads Swagger UI from a CDN and starts it with an inline script;
a node without internet access showed a blank page, and the inline script needed a
relaxed Content-Security-Policy. Here the Swagger UI files (swagger-ui-dist 5.35.0,
Apache-2.0; ``static/swagger-ui/SOURCE.txt``) and the start-up script
(``static/docs.js``) are the node's own files under ``/docs/assets``, so the page
runs under ``middleware.DOCS_POLICY``: no inline script, nothing from other hosts.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/docs"
ASSETS_URL = DOCS_URL + "/assets"
STATIC = Path(__file__).resolve().parent / "static"

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} API</title>
<link rel="icon" type="image/png" href="{assets}/swagger-ui/favicon-32x32.png">
<link rel="stylesheet" href="{assets}/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{assets}/swagger-ui/swagger-ui-bundle.js"></script>
<script src="{assets}/docs.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """Serve ``/docs`` and its assets; the app is built with ``docs_url=None``."""
    app.mount(ASSETS_URL, StaticFiles(directory=STATIC), name="docs-assets")

    @app.get(DOCS_URL, include_in_schema=False)
    def docs_page(request: Request) -> HTMLResponse:
        root = str(request.scope.get("root_path", "")).rstrip("/")
        return HTMLResponse(_PAGE.format(title=escape(app.title), assets=escape(root + ASSETS_URL),
                                         openapi=escape(root + str(app.openapi_url))))
