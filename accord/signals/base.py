"""The ``SignalType`` interface and the capability mixins that signal types combine.

A signal type is a family of values that can be shared and matched: a PDQ hash,
an MD5 digest, a canonical URL. Every type knows how to check and canonicalise a
value (``validate``), how far apart two values are (``distance``) and which
index matches them (``index_kind``, a name in :mod:`accord.index.registry`:
the match engine builds, snapshots and searches one index of that kind per
type, so a plug-in type is matched without any change to the engine). What a
type can *hash* is a separate,
optional ability, declared by inheriting a mixin:

- :class:`ContentHasher`: hashes the content of files of some media kinds
  (``pdq`` images, ``video_pdq`` videos, ``text_tlsh`` PDFs and text files,
  ``md5``/``sha256`` any file).
- :class:`TextHasher`: turns a string into a value (``url`` canonicalises it,
  ``text_tlsh`` hashes text as pytx does).

Callers test abilities with ``issubclass(cls, ContentHasher)``; no method ever
raises ``NotImplementedError`` to say "not supported".

Do:
- keep ``validate`` fast (a precompiled regex and ``lower()``): bulk import calls
  it a million times;
- make ``validate`` idempotent: ``validate(validate(v)) == validate(v)``;
- raise :class:`InvalidSignal` with the type, the trimmed value and the rule.

Don't:
- rename a type once values of it are stored or shared: ``name`` is a storage
  key and a wire name (shared with ThreatExchange/HMA where they have one);
- echo a whole untrusted value in a message (use :func:`accord.errors.trimmed`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from accord.errors import Invalid, Phrase, trimmed
from accord.media.sniff import MediaKind
from accord.media.source import Media

if TYPE_CHECKING:
    from accord.config import Settings

IndexKind = Literal["exact", "hamming256", "video", "tlsh", "tmk_kernel"]
"""The index kinds of :mod:`accord.index.registry` (a test keeps the two equal)."""


class InvalidSignal(Invalid):
    """A value is not a valid signal of its type."""

    title = "Invalid signal value"

    @classmethod
    def for_value(cls, signal_type: str, value: object,
                  rule: str | Phrase) -> InvalidSignal:
        """The standard message: which type, the trimmed value, the rule broken."""
        return cls("invalid {signal_type} value {value}: {rule}", signal_type=signal_type,
                   value=trimmed(value), rule=rule)


@dataclass(frozen=True, slots=True)
class HashResult:
    """One value produced by hashing content.

    ``variant`` names a derived value, such as a dihedral transform of an image
    (``rotate90``); it is ``None`` for the value of the content as given.
    """

    signal_type: str
    value: str
    quality: int | None = None
    variant: str | None = None


@dataclass(frozen=True, slots=True)
class HashOptions:
    """Choices that change what a hasher emits.

    ``exact`` decodes every pixel (every video frame) as the reference
    implementations do; by default hashers may take the fast paths whose
    deviation ``docs/signal-types.md`` bounds ("Hashing speed").
    """

    dihedral: bool = False
    exact: bool = False


class SignalType(ABC):
    """A kind of shareable, matchable value. See the module docstring for the contract."""

    name: ClassVar[str]
    index_kind: ClassVar[IndexKind]
    default_threshold: ClassVar[int]
    has_quality: ClassVar[bool] = False
    bank_threshold: ClassVar[bool] = False
    """Whether a bank's own threshold (the ``bank_threshold_column``) narrows this type's
    matches in that bank."""
    bank_threshold_column: ClassVar[str] = "pdq_threshold"
    """The ``banks`` column holding that threshold, a limit on this type's distance."""

    @classmethod
    @abstractmethod
    def validate(cls, value: str) -> str:
        """Return the canonical form of ``value`` or raise :class:`InvalidSignal`."""

    @classmethod
    @abstractmethod
    def distance(cls, a: str, b: str) -> int:
        """How far apart two canonical values are; 0 means identical."""

    @classmethod
    @abstractmethod
    def examples(cls) -> list[str]:
        """A few valid canonical values, for tests, documentation and the demo."""

    @classmethod
    def match_threshold(cls, settings: Settings) -> int:
        """The distance matching allows when the caller names none (``default_threshold``
        unless a setting governs it)."""
        return cls.default_threshold

    @classmethod
    def min_quality(cls, settings: Settings) -> int | None:
        """Signals of lower quality are not matched; ``None``: quality never excludes."""
        return None

    @classmethod
    def matches(cls, a: str, b: str, threshold: int | None = None) -> bool:
        """Whether two canonical values match within ``threshold`` (default: the type's)."""
        limit = cls.default_threshold if threshold is None else threshold
        return cls.distance(a, b) <= limit


class ContentHasher(ABC):
    """Ability: hash the content of files of the media kinds in ``content_kinds``."""

    content_kinds: ClassVar[frozenset[MediaKind]]

    @classmethod
    @abstractmethod
    def hash_content(cls, media: Media, options: HashOptions) -> list[HashResult]:
        """Hash one loaded file, decoding it under ``media.limits`` and ``media.deadline``."""


class TextHasher(ABC):
    """Ability: turn a string (a URL, a passage of text) into a value of this type."""

    @classmethod
    @abstractmethod
    def hash_text(cls, text: str) -> str:
        """The canonical value for ``text``; raises an ``Invalid`` subclass if it has none."""
