"""A form sent back with an error keeps what was typed (never the password or the key)."""

from __future__ import annotations

import re

from tests.web.conftest import Browser, csrf_of


def _username_field(html: str) -> str:
    found = re.search(r'<input id="username"[^>]*>', html)
    assert found, "the page has no username field"
    return found.group(0)


def test_a_failed_sign_in_keeps_the_username_and_forgets_the_password(web: Browser) -> None:
    token = csrf_of(web.client.get("/login").text)
    answer = web.client.post("/login", data={"username": "ada", "password": "not it",
                                             "csrf_token": token})
    assert answer.status_code == 401
    assert 'value="ada"' in _username_field(answer.text)
    assert "not it" not in answer.text


def test_a_typed_username_is_escaped_when_it_comes_back(web: Browser) -> None:
    token = csrf_of(web.client.get("/login").text)
    answer = web.client.post("/login", data={"username": '"><b>x', "password": "no",
                                             "csrf_token": token})
    assert 'value="&#34;&gt;&lt;b&gt;x"' in _username_field(answer.text)
    assert '"><b>x' not in answer.text

