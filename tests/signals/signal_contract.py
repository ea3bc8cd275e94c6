"""The contract every signal type keeps, written once and run for each type.

A test module ``test_<name>.py`` subclasses :class:`SignalTypeContract`, names
its ``signal_type`` and fills two tables: inputs with their canonical form, and
invalid inputs with a fragment of the rule the error message must state.
``test_registry.py`` fails if a registered type has no such subclass.
"""

from __future__ import annotations

from typing import ClassVar

import pytest

from accord.errors import Invalid
from accord.index.registry import INDEX_KINDS
from accord.signals import InvalidSignal, SignalType, get_signal_type


class SignalTypeContract:
    """Base of the per-type conformance tests (not collected itself: no ``Test`` prefix)."""

    name: ClassVar[str]
    canonical_cases: ClassVar[tuple[tuple[str, str], ...]]
    invalid_cases: ClassVar[tuple[tuple[object, str], ...]]

    @property
    def signal_type(self) -> type[SignalType]:
        return get_signal_type(self.name)

    def test_registered_under_its_own_name(self) -> None:
        assert self.signal_type.name == self.name

    def test_declares_index_threshold_and_quality(self) -> None:
        cls = self.signal_type
        assert cls.index_kind in INDEX_KINDS
        assert cls.default_threshold >= 0
        assert (cls.default_threshold == 0) == (cls.index_kind == "exact")
        assert isinstance(cls.has_quality, bool)

    def test_examples_are_canonical(self) -> None:
        examples = self.signal_type.examples()
        assert len(examples) >= 2
        for example in examples:
            assert self.signal_type.validate(example) == example

    def test_validation_canonicalises_and_is_idempotent(self) -> None:
        for raw, canonical in self.canonical_cases:
            assert self.signal_type.validate(raw) == canonical, raw
            assert self.signal_type.validate(canonical) == canonical, canonical

    def test_invalid_values_name_the_type_and_the_broken_rule(self) -> None:
        for raw, rule in self.invalid_cases:
            with pytest.raises(InvalidSignal, match=rule) as caught:
                self.signal_type.validate(raw)  # type: ignore[arg-type]
            assert isinstance(caught.value, Invalid)
            assert self.name in caught.value.message

    def test_error_messages_never_echo_a_long_value_whole(self) -> None:
        huge = "Z" * 10_000
        with pytest.raises(InvalidSignal) as caught:
            self.signal_type.validate(huge)
        assert len(caught.value.message) < 300

    def test_distance_is_zero_to_itself_and_symmetric(self) -> None:
        cls = self.signal_type
        first, second, *_ = cls.examples()
        assert cls.distance(first, first) == 0
        assert cls.distance(first, second) == cls.distance(second, first) > 0
        assert cls.matches(first, first)
