"""The engine snapshot: every index and the metadata columns, at one audit position.

Layout of the folder (version 2)::

    engine.json          version, audit cursor and hash, the types' index kinds
    owner.npy ... kind.npy   the metadata columns
    indexes/<type>/      each signal type's index, as its own ``save`` wrote it

The folder is written beside the old one and swapped in with renames, so a
crash leaves the previous snapshot. A snapshot is refused (:class:`Invalid`;
``MatchEngine.open`` then rebuilds from the store) when it is of another
version, from another database, or for another set of signal types or index
kinds than the ones installed now. Version 1 (before per-type indexes) is
refused with the rebuild hint.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from accord.audit import GENESIS
from accord.config import Settings
from accord.errors import Invalid
from accord.index.registry import index_class
from accord.matching.columns import ARRAYS
from accord.matching.indexes import Indexes
from accord.signals.registry import registry
from accord.store import models as m
from accord.store.database import Database

SNAPSHOT_VERSION = 2
SNAPSHOT_META = "engine.json"
REBUILD = "rebuild it with: accord index build"


def snapshot_folder(settings: Settings) -> Path:
    """Where the node keeps its match index snapshot."""
    return settings.home / "index"


def save(indexes: Indexes, cursor: int, cursor_hash: str, folder: Path) -> None:
    """Write a snapshot of ``indexes`` at audit position ``cursor`` (hold the lock)."""
    staging = folder.with_name(folder.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, index in indexes.by_type.items():
        index.save(staging / "indexes" / name)
    cols = indexes.columns
    for name in ARRAYS:
        np.save(staging / f"{name}.npy", getattr(cols, name), allow_pickle=False)
    meta = {"version": SNAPSHOT_VERSION, "cursor": cursor, "cursor_hash": cursor_hash,
            "kinds": cols.kinds,
            "indexes": {name: index.kind for name, index in indexes.by_type.items()}}
    (staging / SNAPSHOT_META).write_text(json.dumps(meta))
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    staging.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def load(db: Database, settings: Settings, folder: Path) -> tuple[Indexes, int, str]:
    """The indexes a snapshot holds and the audit position it reflects."""
    meta = _read_meta(folder)
    cursor, cursor_hash = int(meta["cursor"]), str(meta["cursor_hash"])
    with db.reader() as session:
        stored = session.execute(select(m.AuditEvent.hash).where(m.AuditEvent.seq == cursor)
                                 ).scalar_one_or_none() if cursor else GENESIS
    if stored != cursor_hash:
        # Another database, or this one restored from a backup: the snapshot's
        # position in the audit chain is not this store's.
        raise Invalid("the index snapshot in {folder} was taken from another database",
                      folder=folder)
    installed = {name: cls.index_kind for name, cls in registry().items()}
    if meta["indexes"] != installed:
        raise Invalid("the index snapshot in {folder} was taken with other signal types ({meta}) "
                      "than those installed ({installed})", hint=REBUILD, folder=folder,
                      meta=', '.join(sorted(meta['indexes'])),
                      installed=', '.join(sorted(installed)))
    indexes = Indexes(settings)
    for name, kind in installed.items():
        indexes.by_type[name] = index_class(kind).load(folder / "indexes" / name)
    try:
        for name in ARRAYS:
            setattr(indexes.columns, name, np.load(folder / f"{name}.npy", allow_pickle=False))
    except (OSError, ValueError) as exc:
        raise Invalid("the index snapshot in {folder} cannot be read: {exc}", hint=REBUILD,
                      folder=folder, exc=exc) from None
    indexes.columns.kinds = [str(k) for k in meta["kinds"]]
    with db.reader() as session:
        indexes.load_banks(session)
    return indexes, cursor, cursor_hash


def _read_meta(folder: Path) -> dict[str, Any]:
    try:
        meta = json.loads((folder / SNAPSHOT_META).read_text())
    except (OSError, ValueError) as exc:
        raise Invalid("the index snapshot in {folder} cannot be read: {exc}", hint=REBUILD,
                      folder=folder, exc=exc) from None
    if not isinstance(meta, dict):
        raise Invalid("the index snapshot in {folder} is of an unknown version", hint=REBUILD,
                      folder=folder)
    if meta.get("version") != SNAPSHOT_VERSION:
        raise Invalid("the index snapshot in {folder} is version {version!r}; this Accord reads "
                      "version {snapshot_version}", hint=REBUILD, folder=folder,
                      version=meta.get('version'), snapshot_version=SNAPSHOT_VERSION)
    if not isinstance(meta.get("indexes"), dict) or not isinstance(meta.get("kinds"), list):
        raise Invalid("the index snapshot in {folder} is malformed", hint=REBUILD, folder=folder)
    return meta
