"""Retro-scans: a whole corpus of hashes (CSV or Parquet) against every bank.

A platform runs this when a new list arrives, over the hashes of everything it
already hosts. The corpus is read in chunks; each chunk's matches are appended
to the output and then the progress file records how far the scan got, so an
interrupted scan resumes where it stopped, with the output truncated back to
the last complete chunk. PDQ chunks are searched on every core, or, given a
Dask client, spread over the cluster's workers, or, on a machine with a CUDA
device and PyTorch, by brute force on the GPU (``accord.index.gpu``);
visibility is always decided here, on the driver, by the engine (the one
visibility rule).

Corpus columns: ``id`` (the platform's opaque reference), ``signal_type`` and
``value`` (``signal_value`` is accepted too).

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from accord.errors import Conflict, Invalid, trimmed
from accord.index.gpu import TorchSearcher, cuda_available, torch_available
from accord.index.hamming import HammingIndex
from accord.index.pdq import PdqIndex
from accord.matching.engine import Hit, MatchEngine
from accord.safeguards.cells import safe_writer
from accord.sharing.visibility import Viewer
from accord.signals import get_signal_type

OUTPUT_COLUMNS = ("corpus_id", "signal_type", "value", "signal_id", "distance", "bank")
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class CorpusRow:
    """One item of the corpus: the platform's reference, a signal type and a value."""

    ref: str
    signal_type: str
    value: str


@dataclass
class ScanReport:
    """What a scan did."""

    rows: int = 0
    matched_rows: int = 0
    matches: int = 0
    errors: int = 0
    resumed_from: int = 0
    error_samples: list[str] = field(default_factory=list)


def read_corpus(path: Path, chunk: int) -> Iterator[list[CorpusRow]]:
    """The corpus in chunks of ``chunk`` rows, from CSV or Parquet (by file suffix)."""
    if path.suffix.lower() in (".parquet", ".pq"):
        yield from _read_parquet(path, chunk)
    else:
        yield from _read_csv(path, chunk)


def _columns(names: Sequence[str]) -> tuple[str, str, str]:
    lowered = [n.strip().lower() for n in names]
    value = "value" if "value" in lowered else "signal_value"
    missing = {"id", "signal_type", value} - set(lowered)
    if missing:
        raise Invalid("the corpus lacks the columns {missing}",
                      hint="a corpus needs id,signal_type,value columns",
                      missing=', '.join(sorted(missing)))
    return "id", "signal_type", value


def _read_csv(path: Path, chunk: int) -> Iterator[list[CorpusRow]]:
    with path.open(newline="", encoding="utf-8") as stream:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            raise Invalid("the corpus {path} is empty", path=path)
        names = [h.strip().lower() for h in header]
        i_id, i_type, i_value = (names.index(c) for c in _columns(names))
        rows: list[CorpusRow] = []
        for cells in reader:
            if len(cells) != len(names):
                rows.append(CorpusRow(cells[0] if cells else "", "", ""))
            else:
                rows.append(CorpusRow(cells[i_id], cells[i_type], cells[i_value]))
            if len(rows) == chunk:
                yield rows
                rows = []
        if rows:
            yield rows


def _read_parquet(path: Path, chunk: int) -> Iterator[list[CorpusRow]]:
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise Invalid("{path} is not a readable Parquet file: {exc}", path=path, exc=exc) from None
    columns = _columns(source.schema_arrow.names)
    for batch in source.iter_batches(batch_size=chunk, columns=list(columns)):
        data = batch.to_pydict()
        yield [CorpusRow(str(r), str(t), str(v)) for r, t, v in
               zip(data[columns[0]], data[columns[1]], data[columns[2]], strict=True)]


class _Progress:
    """The resume file beside the output: which corpus, how many rows, how many bytes."""

    def __init__(self, corpus: Path, output: Path) -> None:
        self.path = output.with_name(output.name + ".progress.json")
        stat = corpus.stat()
        self.identity = {"corpus": str(corpus.resolve()), "size": stat.st_size,
                         "mtime_ns": stat.st_mtime_ns}

    def load(self) -> tuple[int, int]:
        if not self.path.exists():
            return 0, 0
        state = json.loads(self.path.read_text())
        if {k: state.get(k) for k in self.identity} != self.identity:
            raise Conflict("{path} belongs to a scan of another corpus",
                           hint="choose another output file, or delete it to start over",
                           path=self.path)
        return int(state["rows_done"]), int(state["output_bytes"])

    def save(self, rows_done: int, output_bytes: int) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({**self.identity, "rows_done": rows_done,
                                         "output_bytes": output_bytes}))
        os.replace(temporary, self.path)

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)


def scan(engine: MatchEngine, viewer: Viewer, corpus: Path, output: Path, *,
         chunk: int = 100_000, threads: int | None = None, client: Any = None,
         device: str | None = None, progress: Progress | None = None) -> ScanReport:
    """Scan ``corpus`` against the engine's signals; matches go to the CSV ``output``.

    PDQ hashes are searched with the CPU index on ``threads`` cores, or on a Dask
    ``client``'s workers, or by brute force on the torch ``device`` (``"cuda"``;
    see :func:`gpu_device` for choosing it). The matches are the same in each case.
    """
    if not corpus.is_file():
        raise Invalid("no corpus file {corpus!r}", corpus=str(corpus))
    if client is not None and device is not None:
        raise Invalid("a scan runs on a Dask cluster or on a GPU, not both")
    tracker = _Progress(corpus, output)
    done, size = tracker.load()
    report = ScanReport(resumed_from=done)
    searchers = _Searchers(engine, client, device)
    mode = "r+" if done and output.exists() else "w"
    with output.open(mode, newline="", encoding="utf-8") as out:
        if mode == "r+":
            out.truncate(size)
            out.seek(size)
        writer = safe_writer(out)
        if mode == "w":
            writer.writerow(OUTPUT_COLUMNS)
        skipped = 0
        for rows in read_corpus(corpus, chunk):
            if skipped + len(rows) <= done:
                skipped += len(rows)
                continue
            rows = rows[max(0, done - skipped):]
            skipped = done
            _scan_chunk(engine, viewer, rows, writer, report, threads, searchers)
            report.rows += len(rows)
            out.flush()
            os.fsync(out.fileno())
            tracker.save(done + report.rows, out.tell())
            if progress is not None:
                progress(done + report.rows)
    tracker.finish()
    return report


def _scan_chunk(engine: MatchEngine, viewer: Viewer, rows: list[CorpusRow],
                writer: Any, report: ScanReport, threads: int | None,
                searchers: _Searchers) -> None:
    by_type: dict[str, list[tuple[CorpusRow, str]]] = {}
    for row in rows:
        try:
            signal_type = get_signal_type(row.signal_type.strip().lower())
            by_type.setdefault(signal_type.name, []).append((row, signal_type.validate(row.value)))
        except Invalid as error:
            report.errors += 1
            if len(report.error_samples) < 20:
                report.error_samples.append(f"{trimmed(row.ref)}: {error.message}")
    for kind, items in by_type.items():
        values = [v for _, v in items]
        searcher = searchers.get(kind)
        if searcher is not None:
            results = searcher.lookup(viewer, values)
        else:
            results = engine.lookup_many(viewer, kind, values, threads=threads)
        for (row, value), hits in zip(items, results, strict=True):
            _write(writer, engine, row, kind, value, hits, report)


def _write(writer: Any, engine: MatchEngine, row: CorpusRow, kind: str, value: str,
           hits: list[Hit], report: ScanReport) -> None:
    if not hits:
        return
    report.matched_rows += 1
    report.matches += len(hits)
    for hit in hits:
        writer.writerow((row.ref, kind, value, hit.signal_id, hit.distance,
                         engine.bank_names.get(hit.bank_id, str(hit.bank_id))))


class _Searcher(Protocol):
    def lookup(self, viewer: Viewer, values: Sequence[str]) -> list[list[Hit]]: ...


class _Searchers:
    """One Dask or GPU searcher per signal type of the ``hamming256`` index kind, made on
    first use; other types (or no cluster and no device) search the engine."""

    def __init__(self, engine: MatchEngine, client: Any, device: str | None) -> None:
        self.engine, self.client, self.device = engine, client, device
        self.made: dict[str, _Searcher | None] = {}

    def get(self, signal_type: str) -> _Searcher | None:
        if signal_type not in self.made:
            searcher: _Searcher | None = None
            if get_signal_type(signal_type).index_kind == HammingIndex.kind:
                if self.client is not None:
                    searcher = _DaskSearcher(self.engine, self.client, signal_type)
                elif self.device is not None:
                    searcher = _TorchPdqSearcher(self.engine, self.device, signal_type)
            self.made[signal_type] = searcher
        return self.made[signal_type]


def _radius(engine: MatchEngine, signal_type: str) -> int:
    """The search radius of a batch with no threshold given (bank thresholds covered)."""
    kind = get_signal_type(signal_type)
    limit = kind.match_threshold(engine.settings)
    return engine.widest_pdq(limit, kind.name) if kind.bank_threshold else limit


# --- GPU --------------------------------------------------------------------------


def gpu_device(choice: str) -> str | None:
    """The torch device a scan should use for ``--gpu CHOICE``: ``auto`` picks
    ``cuda`` when PyTorch sees a CUDA device (else the CPU index), ``off`` never
    uses one, anything else (``cuda``, ``cuda:1``, or ``cpu`` to run the same
    brute-force kernel on the CPU) is taken as the torch device to use."""
    choice = choice.strip().lower()
    if choice == "off":
        return None
    if choice == "auto":
        return "cuda" if cuda_available() else None
    if not torch_available():
        raise Invalid("--gpu {choice} needs PyTorch", hint="pip install -e '.[gpu]'", choice=choice)
    return choice


class _TorchPdqSearcher:
    """Hamming searches by brute force on a torch device, over the store's live signals
    of one type."""

    def __init__(self, engine: MatchEngine, device: str, signal_type: str) -> None:
        self.engine, self.signal_type = engine, signal_type
        ids, hashes = engine.pdq_arrays(signal_type)
        self.searcher = TorchSearcher(ids, hashes, device)

    def lookup(self, viewer: Viewer, values: Sequence[str]) -> list[list[Hit]]:
        queries = np.frombuffer(bytes.fromhex("".join(values)), np.uint8).reshape(-1, 32)
        radius = _radius(self.engine, self.signal_type)
        return [self.engine.visible_hits(viewer, self.signal_type,
                                         list(zip(ids.tolist(), dists.tolist(), strict=True)),
                                         None)
                for ids, dists in self.searcher.search_many(queries, radius)]


# --- Dask -------------------------------------------------------------------------

_WORKER_INDEXES: dict[str, PdqIndex] = {}


def _worker_search(key: str, ids: np.ndarray, hashes: np.ndarray, queries: np.ndarray,
                   radius: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs on a Dask worker: build the PDQ index once per worker, then search.

    Returns flat arrays (hits per query, ids, distances): a list of per-query
    arrays would cost more to pickle back than the search itself.
    """
    index = _WORKER_INDEXES.get(key)
    if index is None:
        _WORKER_INDEXES.clear()
        index = _WORKER_INDEXES[key] = PdqIndex.build(ids, hashes)
    found = index.search_many(queries, radius, threads=1)
    counts = np.fromiter((len(i) for i, _ in found), np.int64, len(found))
    if not found:
        return counts, np.zeros(0, np.int64), np.zeros(0, np.int32)
    return (counts, np.concatenate([i for i, _ in found]),
            np.concatenate([d for _, d in found]))


class _DaskSearcher:
    """Spreads PDQ searches over a Dask cluster; each worker holds a copy of the index."""

    def __init__(self, engine: MatchEngine, client: Any, signal_type: str) -> None:
        self.engine, self.client, self.signal_type = engine, client, signal_type
        ids, hashes = engine.pdq_arrays(signal_type)
        self.key = f"accord-{signal_type}-{engine.cursor}-{len(ids)}"
        self.ids = client.scatter(ids, broadcast=True)
        self.hashes = client.scatter(hashes, broadcast=True)
        self.workers = max(1, len(client.scheduler_info().get("workers", {})))

    def lookup(self, viewer: Viewer, values: Sequence[str]) -> list[list[Hit]]:
        queries = np.frombuffer(bytes.fromhex("".join(values)), np.uint8).reshape(-1, 32)
        radius = _radius(self.engine, self.signal_type)
        parts = np.array_split(queries, self.workers * 4)
        futures = [self.client.submit(_worker_search, self.key, self.ids, self.hashes, part,
                                      radius, pure=False) for part in parts if len(part)]
        hits: list[list[Hit]] = []
        for counts, ids, dists in self.client.gather(futures):
            ends = np.cumsum(counts)
            for end, count in zip(ends.tolist(), counts.tolist(), strict=True):
                pairs = zip(ids[end - count:end].tolist(), dists[end - count:end].tolist(),
                            strict=True)
                hits.append(self.engine.visible_hits(viewer, self.signal_type, list(pairs),
                                                     None))
        return hits
