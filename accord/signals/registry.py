"""The signal-type registry: every class in the ``accord.signal_types`` entry-point group.

Accord's own types register through the same group a third-party plug-in uses
(see ``pyproject.toml``). The group is read once, on first use, and checked:
each entry must be a :class:`SignalType` subclass whose ``name`` equals the
entry-point name and whose ``index_kind`` is one of the index kinds (see
``accord.index.registry``), and no name may appear twice.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points
from typing import get_args

from accord.errors import AccordError, Invalid
from accord.signals.base import IndexKind, SignalType

ENTRY_POINT_GROUP = "accord.signal_types"


class SignalTypeRegistryError(AccordError):
    """The installed signal-type plug-ins are inconsistent (a duplicate or a wrong class)."""

    title = "Signal type registry error"


def build_registry(entries: Iterable[EntryPoint]) -> dict[str, type[SignalType]]:
    """Load and check ``entries``; the name-to-class map, sorted by name."""
    found: dict[str, tuple[str, type[SignalType]]] = {}
    for entry in entries:
        cls = entry.load()
        if not (isinstance(cls, type) and issubclass(cls, SignalType)):
            raise SignalTypeRegistryError("entry point {name!r} ({entry}) is not a SignalType "
                                          "subclass", name=entry.name, entry=entry.value)
        if getattr(cls, "name", None) != entry.name:
            raise SignalTypeRegistryError("entry point {name!r} ({entry}) loads a class named "
                                          "{getattr!r}; the two names must be equal",
                                          name=entry.name, entry=entry.value,
                                          getattr=getattr(cls, 'name', None))
        kind = getattr(cls, "index_kind", None)
        if kind not in get_args(IndexKind):
            raise SignalTypeRegistryError("entry point {name!r} ({entry}) declares index kind "
                                          "{kind!r}; known kinds: {known}",
                                          hint="set index_kind to the kind whose search fits the "
                                               "type's distance", name=entry.name,
                                          entry=entry.value, kind=kind,
                                          known=', '.join(get_args(IndexKind)))
        if entry.name in found:
            raise SignalTypeRegistryError("duplicate signal type name {name!r}: {found} and "
                                          "{entry}", hint="uninstall one of the two plug-ins",
                                          name=entry.name, found=found[entry.name][0],
                                          entry=entry.value)
        found[entry.name] = (entry.value, cls)
    return {name: found[name][1] for name in sorted(found)}


@functools.cache
def registry() -> dict[str, type[SignalType]]:
    """The installed signal types, loaded once per process."""
    return build_registry(entry_points(group=ENTRY_POINT_GROUP))


def get_signal_type(name: str) -> type[SignalType]:
    """The signal type called ``name``; :class:`accord.errors.Invalid` if there is none."""
    types = registry()
    try:
        return types[name]
    except (KeyError, TypeError):
        known = ", ".join(types)
        raise Invalid("unknown signal type {name!r}; known types: {known}", name=name,
                      known=known) from None


def signal_type_names() -> list[str]:
    """Names of the installed signal types, sorted."""
    return list(registry())
