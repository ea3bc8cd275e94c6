"""The API gives taxonomy titles and definitions in the reader's language, beside the English."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Keys


def _recruitment(answer: dict[str, Any]) -> dict[str, Any]:
    found: list[dict[str, Any]] = [e for e in answer["entries"]
                                   if e["label"] == "behaviour:recruitment"]
    return found[0]


@pytest.mark.parametrize(("how", "lang", "title"), [
    ({"params": {"lang": "ar"}}, "ar", "التجنيد"),
    ({"params": {"lang": "zh-CN"}}, "zh_Hans", "招募"),
    ({"headers": {"Accept-Language": "ru-RU,ru;q=0.9"}}, "ru", "Вербовка"),
    ({"headers": {"Accept-Language": "de-DE"}}, "en", "Recruitment"),
    ({}, "en", "Recruitment"),
])
def test_the_taxonomy_reads_in_the_language_asked_for(api: TestClient, keys: Keys,
                                                      how: dict[str, Any], lang: str,
                                                      title: str) -> None:
    headers = {**keys.reader_b, **how.get("headers", {})}
    answer = api.get("/api/v1/taxonomy", params=how.get("params"), headers=headers).json()
    assert answer["lang"] == lang
    entry = _recruitment(answer)
    assert entry["title_local"] == title
    # The English text and the stored label stay as they are, whatever the language.
    assert (entry["title"], entry["label"]) == ("Recruitment", "behaviour:recruitment")
    assert entry["definition"].startswith("Invites or persuades people")
    assert entry["definition_local"] != entry["definition"] or lang == "en"


def test_french_definitions_of_every_entry_are_french(api: TestClient, keys: Keys) -> None:
    answer = api.get("/api/v1/taxonomy?lang=fr", headers=keys.reader_b).json()
    assert all(e["definition_local"] and e["definition_local"] != e["definition"]
               for e in answer["entries"])
    assert _recruitment(answer)["definition_local"].startswith("Invite ou incite")
