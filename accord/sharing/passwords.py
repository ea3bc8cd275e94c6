"""Which passwords members may not choose (NIST SP 800-63B, section 5.1.1.2).

A new password is refused when it is, ignoring case, spaces and the digits or
symbols around it, one of the most common passwords; when most of it is
repeated or sequential characters ("aaaaaaaaaaaa", "123456789012", "abcabcabcabc",
"qwertyuiopas"); or when it holds the member's own username.

The list, ``data/common-passwords.txt``, is SecLists'
``Passwords/Common-Credentials/10-million-password-list-top-10000.txt``
(github.com/danielmiessler/SecLists, MIT licence; the data comes from Mark
Burnett's "10 million passwords" set, released into the public domain): the
10,000 most used passwords, most used first, shipped unchanged.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from accord.errors import Invalid

# Runs along these count as sequential (either way, the digits wrapping round: "7890123").
_SEQUENCES = ("01234567890123456789", "abcdefghijklmnopqrstuvwxyz",
              "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p")
_MIN_VARIED = 6  # characters outside runs of repeats or sequences a password needs
_HINT = ("choose a passphrase of several unrelated words, e.g. four words picked at random; "
         "avoid common passwords, your username, and runs like 'aaaa' or '1234'")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped blocklist, lower case."""
    text = files("accord.sharing").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def _core(password: str) -> str:
    """The password lower case, without spaces and the digits and symbols at either end."""
    squeezed = "".join(password.lower().split())
    return squeezed.strip("0123456789!@#$%^&*()_+-=[]{};:'\",.<>/?\\|`~")


def _step(a: str, b: str) -> bool:
    """True when ``b`` repeats ``a`` or follows or precedes it in a known sequence."""
    if a == b:
        return True
    return any(a + b in seq or b + a in seq for seq in _SEQUENCES)


def _patterned(text: str) -> int:
    """How many characters of ``text`` lie in runs of 3 or more repeats or sequence steps."""
    count, start = 0, 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not _step(text[i - 1], text[i]):
            if i - start >= 3:
                count += i - start
            start = i
    return count


def _periodic(text: str) -> bool:
    """True when ``text`` is a shorter part written out again and again ("abcabcabc")."""
    return any(len(text) % size == 0 and text[:size] * (len(text) // size) == text
               for size in range(1, len(text) // 2 + 1))


def check_password(password: str, username: str = "") -> None:
    """Raise ``Invalid`` when ``password`` is common, repetitive or holds ``username``."""
    lowered = password.lower()
    core = _core(password)
    if lowered in common_passwords() or (len(core) >= 4 and core in common_passwords()):
        raise Invalid("the password is one of the most common passwords", hint=_HINT)
    user = username.strip().lower()
    if len(user) >= 3 and user in "".join(lowered.split()):
        raise Invalid("the password contains the username", hint=_HINT)
    squeezed = "".join(lowered.split())
    if _periodic(squeezed) or len(squeezed) - _patterned(squeezed) < _MIN_VARIED:
        raise Invalid("the password is mostly repeated or sequential characters "
                      "(like 'aaaa', '1234' or 'abcabc')", hint=_HINT)
