"""Security headers on every answer; the UI's pages under a CSP without inline script;
cookies Secure once the browser came over TLS."""

from __future__ import annotations

from fastapi.testclient import TestClient

from accord.app import create_app
from accord.config import Settings
from accord.review import preview
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.web.conftest import PASSWORD, Browser, seed

EVERYWHERE = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
              "x-frame-options": "DENY"}


def _common(headers: object) -> None:
    for name, value in EVERYWHERE.items():
        assert headers[name] == value, name  # type: ignore[index]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]  # type: ignore[index]


def test_ui_pages_run_only_the_nodes_own_scripts_and_are_never_framed(web: Browser) -> None:
    web.sign_in("ada")
    for path in ("/", "/login", "/signals", "/review", "/audit", "/banks", "/match"):
        answer = web.client.get(path)
        _common(answer.headers)
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, path
        assert "style-src 'self'" in policy


def test_api_answers_static_files_and_the_docs_carry_the_headers_too(web: Browser) -> None:
    for path in ("/healthz", "/api/v1/banks", "/static/accord.css", "/openapi.json", "/docs",
                 "/no-such-page",
                 "/taxii2/"):
        _common(web.client.get(path).headers)


def test_the_ui_templates_hold_no_inline_script_or_style_the_policy_would_refuse() -> None:
    from tests.web.test_catalogues import TEMPLATES
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and "<script " not in text.replace(
            '<script src="/static/', ""), template.name
        assert " style=" not in text and "<style" not in text, template.name
        assert " onclick=" not in text and " onsubmit=" not in text, template.name


def test_cookies_are_secure_when_the_browser_came_over_tls(settings: Settings,
                                                            db: Database) -> None:
    seed(db)
    from accord.sharing import accounts
    from accord.sharing.roles import Actor
    accounts.member_set_password(db, Actor.operator(), "ada", PASSWORD)
    with TestClient(create_app(settings), base_url="https://accord.example") as client:
        login = client.get("/login")
        assert "secure" in login.headers["set-cookie"].lower()
        assert login.headers["strict-transport-security"].startswith("max-age=")
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as plain:
        answer = plain.get("/login")
        assert "secure" not in answer.headers["set-cookie"].lower()
        assert "strict-transport-security" not in answer.headers


def test_only_the_review_page_lets_images_come_from_the_partners_content_store(
    web: Browser, db: Database
) -> None:
    web.sign_in("ada")
    before = web.client.get("/review")
    assert "img-src 'self' data: blob:;" in before.headers["content-security-policy"]
    preview.content_url_set(db, Actor.operator(), "https://media.a.example:8443/{content_ref}",
                            "Agency A")
    review = web.client.get("/review")
    assert "img-src 'self' data: blob: https://media.a.example:8443;" in \
        review.headers["content-security-policy"]
    assert preview.IMG_ORIGIN_HEADER not in review.headers  # the private header stays home
    for path in ("/", "/signals", "/match"):
        assert "media.a.example" not in web.client.get(path).headers["content-security-policy"]
