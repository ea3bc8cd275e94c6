"""Key pages in each UN language the UI ships beyond English and Chinese (Arabic,
French, Russian, Spanish): the translated words, the page's ``lang`` and ``dir``, and
numbers grouped the locale's way."""

from __future__ import annotations

import re

import pytest

from accord.config import Settings
from accord.web.i18n import LOCALES, Translator
from tests.web.conftest import PASSWORD, Browser, csrf_of
from tests.web.multilingual import CONTENT_REF, seed_queue_and_incident

# Per language: (lang, dir, words on the review queue, on the incident page, 1234 killed).
EXPECTED = {
    "fr": ("fr", "ltr", ("File d'examen", "Prendre en charge", "Justification"),
           ("Type d'attaque", "Déclarations publiques", "Tués"), "1\u202f234"),
    "ar": ("ar", "rtl", ("قائمة المراجعة", "استلام", "المسوّغ"),
           ("نوع الهجوم", "البيانات العلنية", "القتلى"), "1,234"),
    "ru": ("ru", "ltr", ("Очередь проверки", "Взять в работу", "Обоснование"),
           ("Тип нападения", "Публичные заявления", "Погибшие"), "1\xa0234"),
    "es": ("es", "ltr", ("Cola de revisión", "Asignarme", "Justificación"),
           ("Tipo de ataque", "Declaraciones públicas", "Muertos"), "1.234"),
}


SIGN_IN = {
    "fr": ("Se connecter", "Le nom d'utilisateur, le mot de passe ou la clé d'API est incorrect."),
    "ar": ("تسجيل الدخول", "اسم المستخدم أو كلمة المرور أو مفتاح API غير صحيح."),
    "ru": ("Войти", "Неверное имя пользователя, пароль или API-ключ."),
    "es": ("Iniciar sesión",
           "El nombre de usuario, la contraseña o la clave de API no son correctos."),
}


@pytest.fixture
def queue(web: Browser, settings: Settings) -> Browser:
    web.sign_in("ada")
    seed_queue_and_incident(web.db, settings, "ada", PASSWORD)
    return web


def _in(web: Browser, locale: str, path: str) -> str:
    web.client.cookies.set("accord_lang", locale)
    page = web.client.get(path)
    assert page.status_code == 200, page.text[:300]
    return page.text


@pytest.mark.parametrize("locale", sorted(EXPECTED))
def test_the_review_queue_and_an_incident_read_in_the_language(queue: Browser,
                                                               locale: str) -> None:
    assert locale in LOCALES
    lang, direction, review_words, incident_words, killed = EXPECTED[locale]
    review = _in(queue, locale, "/review")
    assert f'<html lang="{lang}" dir="{direction}">' in review
    assert all(word in review.replace("&#39;", "'") for word in review_words), review_words
    assert f'<dd class="hash">{CONTENT_REF}</dd>' in review
    incidents = _in(queue, locale, "/incidents")
    found = re.search(r'href="/incidents/(\d+)"', incidents)
    assert found, "the incident list links no incident"
    incident = _in(queue, locale, f"/incidents/{found.group(1)}").replace("&#39;", "'")
    assert f'<html lang="{lang}" dir="{direction}">' in incident
    assert all(word in incident for word in incident_words), incident_words
    assert f"<dd>{killed}</dd>" in incident  # 1234 killed, grouped the locale's way
    assert '<dd class="ltr">2015-03-05</dd>' in incident


@pytest.mark.parametrize("locale", sorted(EXPECTED))
def test_the_sign_in_page_and_a_form_error_read_in_the_language(web: Browser,
                                                                locale: str) -> None:
    page = _in(web, locale, "/login")
    assert f'lang="{EXPECTED[locale][0]}"' in page
    assert SIGN_IN[locale][0] in page
    wrong = web.client.post("/login", data={"username": "nobody", "password": "x" * 12,
                                            "csrf_token": csrf_of(page)})
    assert SIGN_IN[locale][1] in wrong.text.replace("&#39;", "'")


def test_plural_forms_follow_each_language() -> None:
    peers = ("%(num)s peer", "%(num)s peers")
    french, arabic = Translator("fr"), Translator("ar")
    assert [french.ngettext(*peers, n) for n in (0, 1, 2)] == ["0 pair", "1 pair", "2 pairs"]
    assert [arabic.ngettext(*peers, n) for n in (2, 5, 11, 100)] == \
        ["2 نظيران", "5 نظراء", "11 نظيرًا", "100 نظير"]
