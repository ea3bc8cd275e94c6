"""``text_tlsh``: TLSH of a document's text as pytx hashes it, from PDFs and text files.

The interop tests run python-threatexchange's own ``TextTLSHSignal`` (its tlsh
extension) in pytx's virtualenv and compare its values with Accord's.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from accord.config import Settings
from accord.media.errors import InsufficientContent
from accord.signals import get_signal_type
from accord.signals.hashing import hash_file
from tests.media.media_factories import PANGRAM, pdf_with_text, prose
from tests.signals.signal_contract import SignalTypeContract
from tests.tools.venvs import tool_venv

TLSH = get_signal_type("text_tlsh")
DIGEST = "T1ABC02B04810003368C920A0092023903B2F0C340E3286D6880733450C642D0179F2710"


class TestTextTlshSignal(SignalTypeContract):
    name = "text_tlsh"
    canonical_cases = (
        (DIGEST.lower(), DIGEST),  # hex is upper-cased, and so is the prefix
        (DIGEST[2:], DIGEST),  # the T1 version prefix is added when missing
        (f" {DIGEST}\n", DIGEST),
    )
    invalid_cases = (
        (DIGEST[:-1], "expected 'T1' and 70 hex digits, got 69 digits"),
        ("T2" + DIGEST[2:], "found 'T'"),
        (DIGEST[:10] + "G" + DIGEST[11:], "found 'G'"),
        ("TNULL", "expected 'T1' and 70 hex digits"),
    )


# pytx's TextTLSHSignal, run in pytx's virtualenv: reads {"texts": [...], "files": [...]},
# prints the hash of each text (hash_from_str) and of each file (hash_from_file).
_PYTX_HASHER = """
import json, pathlib, sys
from threatexchange.extensions.tlsh.text_tlsh import TextTLSHSignal
job = json.load(sys.stdin)
print(json.dumps({
    "texts": [TextTLSHSignal.hash_from_str(t) for t in job["texts"]],
    "files": [TextTLSHSignal.hash_from_file(pathlib.Path(f)) for f in job["files"]],
}))
"""
TEXTS = [
    PANGRAM * 2,
    "\n\n  " + (PANGRAM * 2).upper().replace(" ", "   \t") + "  ",  # case and spacing count
    prose(seed=1),
    "Ce texte, « traduit » : l'Ünïcödé compte aussi — 同じテキストは同じハッシュ。" * 3,
    "\uff28\uff45\uff4c\uff4c\uff4f \ufb01ne: " + prose(seed=4, words=80),  # no NFKC folding
]


def _pytx_hashes(texts: list[str], files: list[Path]) -> dict[str, list[str]]:
    result = tool_venv("threatexchange").run(
        "python", "-c", _PYTX_HASHER,
        input=json.dumps({"texts": texts, "files": [str(f) for f in files]}),
        env={"PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1"})
    assert result.returncode == 0, result.stderr
    hashes: dict[str, list[str]] = json.loads(result.stdout)
    return hashes


def test_the_same_text_gives_the_same_hash_as_pytx() -> None:
    assert [TLSH.hash_text(text) for text in TEXTS] == _pytx_hashes(TEXTS, [])["texts"]


def test_a_text_file_hashes_as_pytx_hashes_the_file(tmp_path: Path) -> None:
    """pytx reads a file with ``read_text``: CRLF and CR become LF, a byte-order mark stays."""
    contents = [(PANGRAM * 2).encode(), (PANGRAM * 2).replace(". ", ".\r\n").encode(),
                (PANGRAM * 2).replace(". ", ".\r").encode(),
                b"\xef\xbb\xbf" + prose(seed=3).encode()]
    files = []
    for number, data in enumerate(contents):
        files.append(tmp_path / f"doc{number}.txt")
        files[-1].write_bytes(data)
    ours = [hash_file(data, settings=Settings(), types=["text_tlsh"])[0].value
            for data in contents]
    assert ours == _pytx_hashes([], files)["files"]
    assert ours[1] == ours[2] != ours[0]


def test_text_that_differs_only_in_case_and_spacing_hashes_differently() -> None:
    """As in pytx: nothing is folded, so such copies are as far apart as TLSH finds them."""
    assert TLSH.hash_text(TEXTS[0]) != TLSH.hash_text(TEXTS[1])


def test_similar_texts_are_near_and_different_texts_far() -> None:
    words = prose(seed=1).split()
    base = TLSH.hash_text(" ".join(words))
    words[100:103] = ["three", "edited", "words"]
    edited = TLSH.hash_text(" ".join(words))
    other = TLSH.hash_text(prose(seed=2))
    assert TLSH.distance(base, edited) <= TLSH.default_threshold
    assert TLSH.distance(base, other) > TLSH.default_threshold


@pytest.mark.parametrize("text", ["", "too short", "a" * 500, "ab " * 100])
def test_short_or_repetitive_text_is_a_clear_typed_error(text: str) -> None:
    with pytest.raises(InsufficientContent, match="too short or too repetitive for TLSH"):
        TLSH.hash_text(text)


def test_pdf_and_text_file_with_the_same_text_hash_alike(tmp_path) -> None:
    """The PDF's text is hashed as a text file's is: same text, line breaks included."""
    settings = Settings()
    pdf = hash_file(pdf_with_text([PANGRAM * 3]), settings=settings, types=["text_tlsh"])
    laid_out = "\n".join(textwrap.wrap(PANGRAM * 3, 80))  # the PDF's lines (media_factories)
    text = hash_file(laid_out.encode(), settings=settings, types=["text_tlsh"])
    assert pdf[0].value == text[0].value


def test_a_pdf_without_text_names_the_file_in_the_error() -> None:
    from tests.media.media_factories import blank_pdf

    with pytest.raises(InsufficientContent, match=r"^scan\.pdf: text too short"):
        hash_file(blank_pdf(2), settings=Settings(), types=["text_tlsh"], name="scan.pdf")
