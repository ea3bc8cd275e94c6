"""An entity label reads as the designation's primary name with its reference, in every language.

Before: an English reader of QDe.004 saw "The Base" (the first Latin alias of the UN
list) and the dashboard the bare reference; a reader whose script has an alias sees it.
"""

from __future__ import annotations

import pytest

from accord.store import records as r
from accord.taxonomy import load_taxonomy
from accord.web.labels import LabelNames, written_in

QAIDA = r.Entity(
    id=1, ref="QDe.004", name="Al-Qaida",
    aliases=(r.AliasRecord("The Base", "Latn"), r.AliasRecord("Al Qaeda", "Latn"),
             r.AliasRecord("基地组织", "Hans"), r.AliasRecord("القاعدة", "Arab")),
    designations=())
ETIM = r.Entity(id=2, ref="QDe.088", name="Eastern Turkistan Islamic Movement",
                aliases=(r.AliasRecord("ETIM", "Latn"),
                         r.AliasRecord("东突厥斯坦伊斯兰运动", "Hans")), designations=())


@pytest.mark.parametrize(("locale", "entity", "shown"), [
    ("en", QAIDA, "Al-Qaida (QDe.004)"),
    ("fr", QAIDA, "Al-Qaida (QDe.004)"),
    ("es", QAIDA, "Al-Qaida (QDe.004)"),
    ("zh_Hans", QAIDA, "基地组织 (QDe.004)"),
    ("ar", QAIDA, "القاعدة (QDe.004)"),
    ("ru", QAIDA, "Al-Qaida (QDe.004)"),  # no Cyrillic alias published: the primary name
    ("zh_Hans", ETIM, "东突厥斯坦伊斯兰运动 (QDe.088)"),
    ("en", ETIM, "Eastern Turkistan Islamic Movement (QDe.088)"),
])
def test_an_entity_shows_its_primary_name_or_its_readers_script_with_its_reference(
        locale: str, entity: r.Entity, shown: str) -> None:
    assert LabelNames(load_taxonomy(), locale).entity_name(entity) == shown


def test_the_script_of_a_name_is_that_of_its_first_letter() -> None:
    assert [written_in(t) for t in ("\"The Base\"", "基地", "القاعدة", "Аль-Каида", "123")] == [
        "Latn", "Hans", "Arab", "Cyrl", ""]
