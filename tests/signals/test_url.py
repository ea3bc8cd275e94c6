"""``url``: every spelling of an address has one canonical form (rules in ``signals/url.py``)."""

from __future__ import annotations

import pytest

from accord.signals import get_signal_type
from tests.signals.signal_contract import SignalTypeContract

URL = get_signal_type("url")

CANONICAL_TABLE = (
    # scheme and host are lower-cased; an empty path becomes "/"
    ("HTTP://Example.COM", "http://example.com/"),
    # outer whitespace is trimmed
    ("  https://example.com/x \n", "https://example.com/x"),
    # default ports are dropped, others kept
    ("http://example.com:80/", "http://example.com/"),
    ("https://example.com:443/", "https://example.com/"),
    ("https://example.com:80/", "https://example.com:80/"),
    ("http://example.com:8080/x", "http://example.com:8080/x"),
    # the fragment is dropped
    ("https://example.com/page#section-2", "https://example.com/page"),
    # dot segments are resolved, and never climb above the root
    ("https://example.com/a/./b/../c", "https://example.com/a/c"),
    ("https://example.com/a/b/../../../../c", "https://example.com/c"),
    ("https://example.com/a/.", "https://example.com/a/"),
    ("https://example.com/a/..", "https://example.com/"),
    ("https://example.com/%2E%2E/x", "https://example.com/x"),
    # escapes of unreserved characters are decoded, others upper-cased
    ("https://example.com/%7euser/%2fx", "https://example.com/~user/%2Fx"),
    ("https://example.com/%41%42c", "https://example.com/ABc"),
    # raw characters that need escaping are encoded as UTF-8; a stray % too
    ("https://example.com/a b/ä", "https://example.com/a%20b/%C3%A4"),
    ("https://example.com/100%", "https://example.com/100%25"),
    # internationalised hosts become IDNA; a trailing dot goes
    ("https://Bücher.example/", "https://xn--bcher-kva.example/"),
    ("https://example.com./", "https://example.com/"),
    # tracking parameters are removed, the rest sorted by name then value
    ("https://example.com/?utm_source=x&UTM_Medium=y&id=5", "https://example.com/?id=5"),
    ("https://example.com/?fbclid=1&gclid=2&msclkid=3", "https://example.com/"),
    ("https://example.com/?b=2&a=1&a=0", "https://example.com/?a=0&a=1&b=2"),
    ("https://example.com/?q=%e4&flag", "https://example.com/?flag&q=%E4"),
    ("https://example.com/?", "https://example.com/"),
    # "+" is kept as it is (it is not always a space)
    ("https://example.com/?q=a+b", "https://example.com/?q=a+b"),
    # user information and IPv6 literals survive, normalised
    ("https://User@Example.com/", "https://User@example.com/"),
    ("https://[2001:DB8::1]:8443/p", "https://[2001:db8::1]:8443/p"),
)


class TestUrlSignal(SignalTypeContract):
    name = "url"
    canonical_cases = CANONICAL_TABLE
    invalid_cases = (
        ("ftp://example.com/", "expected an absolute http:// or https:// URL"),
        ("example.com/path", "expected an absolute http:// or https:// URL"),
        ("javascript:alert(1)", "expected an absolute http:// or https:// URL"),
        ("https://", "expected an absolute"),
        ("https://exa mple.com/", "host may hold only letters"),
        ("https://example.com:99999/", "port '99999' is not a number"),
        ("http://[::1/", "IPv6"),
        ("https://" + "a" * 64 + ".com/", "host name too long"),
        ("https://example.com/" + "a" * 9000, "longer than 8192 characters"),
    )


@pytest.mark.parametrize(("raw", "canonical"), CANONICAL_TABLE)
def test_canonical_form(raw: str, canonical: str) -> None:
    assert URL.validate(raw) == canonical


def test_spellings_of_one_address_match_and_other_addresses_do_not() -> None:
    a = URL.validate("HTTPS://Example.com:443/media/../video.mp4?utm_campaign=x#t=10")
    b = URL.validate("https://example.com/video.mp4")
    c = URL.validate("https://example.com/video.mp4?id=2")
    assert URL.distance(a, b) == 0
    assert URL.distance(a, c) == 1


def test_url_hashes_text_not_files() -> None:
    from accord.signals import ContentHasher, TextHasher

    assert issubclass(URL, TextHasher)
    assert not issubclass(URL, ContentHasher)
    assert URL.hash_text("https://EXAMPLE.com") == "https://example.com/"
