"""The signal-type registry: names, lookup errors, and checks on plug-ins."""

from __future__ import annotations

import importlib
from importlib.metadata import EntryPoint

import pytest

from accord.errors import Invalid
from accord.signals import SignalType, get_signal_type, signal_type_names
from accord.signals.digest import Md5Signal
from accord.signals.registry import SignalTypeRegistryError, build_registry
from tests.signals.signal_contract import SignalTypeContract

BUILT_IN = ["md5", "pdq", "sha256", "text_tlsh", "url", "video_pdq"]


def _entry(name: str, target: str) -> EntryPoint:
    return EntryPoint(name=name, value=target, group="accord.signal_types")


def test_every_built_in_type_is_registered_through_the_entry_point_group() -> None:
    assert set(BUILT_IN) <= set(signal_type_names())
    assert signal_type_names() == sorted(signal_type_names())


def test_lookup_returns_the_class_named() -> None:
    cls = get_signal_type("pdq")
    assert issubclass(cls, SignalType)
    assert cls.name == "pdq"
    assert cls.default_threshold == 31


def test_unknown_name_is_invalid_and_lists_the_known_types() -> None:
    with pytest.raises(Invalid, match=r"unknown signal type 'photodna'; known types: .*pdq"):
        get_signal_type("photodna")


def test_duplicate_names_are_rejected_with_a_clear_error() -> None:
    entries = [
        _entry("md5", "accord.signals.digest:Md5Signal"),
        _entry("md5", "accord.signals.digest:Md5Signal"),
    ]
    with pytest.raises(SignalTypeRegistryError, match="duplicate signal type name 'md5'"):
        build_registry(entries)


def test_entry_point_name_must_equal_the_class_name_attribute() -> None:
    with pytest.raises(SignalTypeRegistryError, match="names must be equal"):
        build_registry([_entry("md5_v2", "accord.signals.digest:Md5Signal")])


class _FaissSignal(Md5Signal):
    """A type declaring an index kind Accord does not have."""

    name = "faiss_md5"
    index_kind = "faiss"  # type: ignore[assignment]  # the mistake under test


def test_entry_point_must_declare_a_known_index_kind() -> None:
    with pytest.raises(SignalTypeRegistryError,
                       match="declares index kind 'faiss'; known kinds: exact, hamming256"):
        build_registry([_entry("faiss_md5", "tests.signals.test_registry:_FaissSignal")])


def test_entry_point_must_load_a_signal_type() -> None:
    with pytest.raises(SignalTypeRegistryError, match="not a SignalType subclass"):
        build_registry([_entry("md5", "accord.signals.digest:hashlib")])


@pytest.mark.parametrize("name", signal_type_names())
def test_every_registered_type_has_a_conformance_test(name: str) -> None:
    module = importlib.import_module(f"tests.signals.test_{name}")
    contracts = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, SignalTypeContract)
        and value is not SignalTypeContract
    ]
    assert [c.name for c in contracts] == [name]


def test_pdq_validation_is_fast_enough_for_bulk_import() -> None:
    import timeit

    validate = get_signal_type("pdq").validate
    value = "F8F8F0CEE0F4A84F06370A22038F63F0B36E2ED596621E1D33E6B39C4E9C9B22"
    per_call = min(timeit.repeat(lambda: validate(value), number=20_000, repeat=3)) / 20_000
    assert per_call < 2e-6  # a few hundred ns on the dev box; generous for CI noise


def test_every_registered_type_declares_an_index_kind_the_index_registry_has() -> None:
    from accord.index.registry import INDEX_KINDS
    from accord.signals.registry import registry

    missing = {name: cls.index_kind for name, cls in registry().items()
               if cls.index_kind not in INDEX_KINDS}
    assert missing == {}


def test_the_index_kind_type_names_exactly_the_registered_index_kinds() -> None:
    from typing import get_args

    from accord.index.registry import index_kind_names
    from accord.signals.base import IndexKind

    assert sorted(get_args(IndexKind)) == index_kind_names()
