"""The UI shows the core's errors in the session's language (issue 20): the error page of a
GET and the flash message of a refused form, with the values in them as given."""

from __future__ import annotations

from accord import i18n
from tests.web.conftest import Browser


def _error_page(web: Browser, locale: str) -> str:
    web.sign_in("ada")
    web.client.cookies.set("accord_lang", locale)
    page = web.client.get("/signals/999999")
    assert page.status_code == 404
    return page.text


def test_an_error_page_reads_in_arabic_right_to_left(web: Browser) -> None:
    page = _error_page(web, "ar")
    assert '<html lang="ar" dir="rtl">' in page
    words = i18n.translate("ar", "core", "no signal {signal_id}", signal_id=999999)
    assert f"<p>{words}</p>" in page and "999999" in words
    assert "Something went wrong" not in page


def test_an_error_page_reads_in_chinese(web: Browser) -> None:
    page = _error_page(web, "zh_Hans")
    assert "<p>没有信号 999999</p>" in page and "no signal" not in page


def test_a_refused_form_flashes_its_error_in_the_sessions_language(web: Browser) -> None:
    web.sign_in("ada")
    web.client.cookies.set("accord_lang", "zh_Hans")
    web.post("/admin/channels", {"name": "alpha"}, from_page="/admin")
    answer = web.post("/admin/channels", {"name": "alpha"}, from_page="/admin")
    page = answer.text  # type: ignore[attr-defined]  # the page redirected to, with the flash
    assert "名为 &#39;alpha&#39; 的频道已存在" in page
    assert "already exists" not in page
