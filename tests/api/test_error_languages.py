"""Core errors over HTTP in the reader's language (issue 20): problem+json's ``detail`` and
``hint`` follow ``?lang=`` or ``Accept-Language`` (said in ``Content-Language``), the values
in them stay as given, and the machine fields (type, title, status, message_id, params) never
change; TAXII error bodies likewise."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from accord import i18n
from accord.exchange.taxii import MEDIA_TYPE_TAXII
from tests.api.conftest import Keys
from tests.api.test_api import problem
from tests.api.test_taxii import ROOT, _collections

NO_BANK = "/api/v1/banks/no-such-bank/signals"
MD5 = {"signal_type": "md5", "value": "a" * 32}


def _missing_bank(api: TestClient, keys: Keys, params: dict[str, str] | None = None,
                  headers: dict[str, str] | None = None) -> tuple[dict[str, Any], str]:
    response = api.post(NO_BANK, json=MD5, params=params,
                        headers={**keys.curator_a, **(headers or {})})
    return problem(response, 404), response.headers["content-language"]


def test_a_404_reads_in_chinese_with_the_bank_name_unchanged(api: TestClient,
                                                             keys: Keys) -> None:
    body, language = _missing_bank(api, keys, params={"lang": "zh-Hans"})
    assert language == "zh-Hans"
    assert body["detail"] == "没有库 'no-such-bank'"
    assert body["hint"] == "用以下命令列出库：accord bank list"  # noqa: RUF001
    assert (body["type"], body["title"], body["status"]) == ("about:blank", "Not found", 404)
    assert body["message_id"] == "no bank {ref}" and body["params"] == {"ref": "'no-such-bank'"}
    assert body["hint_id"] == "list banks with: accord bank list"


def test_a_404_follows_accept_language_and_keeps_its_machine_fields(api: TestClient,
                                                                    keys: Keys) -> None:
    english, language = _missing_bank(api, keys)
    assert language == "en" and english["detail"] == "no bank 'no-such-bank'"
    french, language = _missing_bank(api, keys, headers={"Accept-Language": "fr-FR,en;q=0.5"})
    assert language == "fr"
    assert french["detail"] == i18n.translate("fr", "core", "no bank {ref}",
                                              ref="'no-such-bank'")
    assert "'no-such-bank'" in french["detail"]
    assert {k: v for k, v in french.items() if k not in ("detail", "hint", "request_id")} == {
        k: v for k, v in english.items() if k not in ("detail", "hint", "request_id")}


def test_an_unknown_language_reads_in_english_rather_than_failing(api: TestClient,
                                                                  keys: Keys) -> None:
    body, language = _missing_bank(api, keys, params={"lang": "tlh"})
    assert language == "en" and body["detail"] == "no bank 'no-such-bank'"


def _personal(api: TestClient, keys: Keys, lang: str) -> dict[str, Any]:
    response = api.post("/api/v1/banks/a-images/signals", params={"lang": lang},
                        headers=keys.curator_a,
                        json={**MD5, "rationale": "uploaded by Rustam Karimov"})
    assert "Karimov" not in response.text
    assert response.headers["content-language"] == i18n.html_lang(lang)
    return problem(response, 422)


def test_a_422_reads_in_chinese_and_in_french_naming_the_field_as_sent(api: TestClient,
                                                                       keys: Keys) -> None:
    chinese = _personal(api, keys, "zh-Hans")
    # What was found is in the reader's language too, not English inside Chinese.
    assert chinese["detail"] == "rationale似乎包含个人数据：第 13-26 个字符处的人名（拉丁字母）"  # noqa: RUF001
    assert chinese["hint"].startswith("Accord 不承载任何关于个人的信息")
    assert chinese["message_id"] == "the {field} looks like it holds personal data: {found}"
    assert chinese["params"]["field"] == "rationale"
    french = _personal(api, keys, "fr")
    assert french["detail"].startswith(i18n.translate("fr", "core", french["message_id"],
                                                      field="rationale", found=""))
    assert "un nom de personne (alphabet latin) aux caractères 13-26" in french["detail"]
    assert (french["title"], french["params"]) == (chinese["title"], chinese["params"])
    assert chinese["params"]["found"] == "a personal name (Latin script) at characters 13-26"


def test_a_taxii_error_reads_in_the_readers_language(api: TestClient, keys: Keys) -> None:
    channel = _collections(api, keys.reader_b)["Channel ab"]
    response = api.get(f"{ROOT}collections/{channel}/objects/", params={"limit": "0"},
                       headers={**keys.reader_b, "Accept": MEDIA_TYPE_TAXII,
                                "Accept-Language": "zh-CN"})
    assert response.status_code == 400
    assert response.headers["content-type"] == MEDIA_TYPE_TAXII
    assert response.headers["content-language"] == "zh-Hans"
    body = response.json()
    assert body["title"] == "Invalid input" and body["http_status"] == "400"
    assert "limit" in body["description"] and "不是正整数" in body["description"]
