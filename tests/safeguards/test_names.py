"""The name detector's rates on Accord's test list, against the figures in docs/safeguards.md.

``data/names.json`` holds texts that each name one person (Han names without a
title, "Surname, Given" Latin forms, Cyrillic names and their transliterations,
Arabic names in Arabic script and transliterated) and ordinary counter-terrorism
prose in English, Chinese, Russian and Arabic. The detector must catch at least
the documented share of each group of names and flag at most the documented
share of each language's prose; the figures below are read from the doc, so the
doc and the test cannot drift apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from accord.safeguards.personal_data import find_personal_data

DATA = json.loads((Path(__file__).parent / "data" / "names.json").read_text(encoding="utf-8"))
DOC = (Path(__file__).parents[2] / "docs" / "safeguards.md").read_text(encoding="utf-8")


def _documented(kind: str, group: str) -> float:
    """The documented figure for ``group`` in the doc's table (``| group | kind | N% |``)."""
    found = re.search(rf"^\| `{re.escape(group)}` \| {kind} \| [^|]* \| (\d+(?:\.\d+)?)% \|",
                      DOC, re.MULTILINE)
    assert found, f"docs/safeguards.md has no {kind} figure for {group}"
    return float(found.group(1)) / 100


def _flagged(texts: list[str]) -> list[str]:
    return [t for t in texts if any("name" in f.kind for f in find_personal_data(t))]


@pytest.mark.parametrize("group", sorted(DATA["names"]))
def test_names_are_caught_at_the_documented_rate(group: str) -> None:
    texts = DATA["names"][group]
    caught = len(_flagged(texts)) / len(texts)
    assert caught >= _documented("names", group), sorted(set(texts) - set(_flagged(texts)))


@pytest.mark.parametrize("language", sorted(DATA["prose"]))
def test_ordinary_prose_is_flagged_at_most_at_the_documented_rate(language: str) -> None:
    texts = DATA["prose"][language]
    assert len(_flagged(texts)) / len(texts) <= _documented("prose", language), _flagged(texts)


def test_the_list_is_large_enough_to_mean_something() -> None:
    assert all(len(texts) >= 20 for texts in DATA["names"].values())
    assert all(len(texts) >= 20 for texts in DATA["prose"].values())
