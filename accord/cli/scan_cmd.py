"""``accord scan``: a retro-scan of a corpus of hashes against every bank."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from accord.cli.state import state
from accord.matching.engine import MatchEngine
from accord.matching.scan import gpu_device, scan
from accord.matching.service import partner_viewer


def _corpus_rows(path: Path) -> int | None:
    if path.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    return None


def scan_command(
    ctx: typer.Context,
    corpus: Path = typer.Argument(..., help="CSV or Parquet with id,signal_type,value columns."),
    output: Path = typer.Option(..., "--output", "-o", help="CSV of matches (resumable)."),
    partner: str | None = typer.Option(None, "--partner",
                                       help="Scan as this partner: only what it may see."),
    dask: str | None = typer.Option(None, "--dask",
                                    help="Address of a Dask scheduler to spread the scan over."),
    threads: int = typer.Option(os.cpu_count() or 1, "--threads", min=1,
                                help="Cores to search with (local scans)."),
    chunk: int = typer.Option(100_000, "--chunk", min=1, help="Rows per resumable step."),
    gpu: str = typer.Option("auto", "--gpu",
                            help="auto (CUDA if PyTorch sees one), off, or a torch device "
                                 "(cuda, cuda:1; cpu runs the GPU kernel on the CPU)."),
) -> None:
    """Match a corpus of hashes against all banks; rerun the same command to resume.

    Example: accord scan hashes.parquet -o matches.csv --partner "Platform P"
    """
    st = state(ctx)
    db, actor = st.database(), st.actor()
    viewer = partner_viewer(db, partner if partner is not None else actor.partner_id)
    with st.err.status("loading the match index"):
        engine = MatchEngine.open(db, st.settings)
    device = gpu_device(gpu) if dask is None else None
    if device is not None:
        st.err.print(f"searching PDQ hashes by brute force on torch device {device!r}")
    client = None
    if dask is not None:
        from distributed import Client

        client = Client(dask)  # type: ignore[no-untyped-call]
    try:
        with Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=st.err, transient=True) as bar:
            task = bar.add_task("scan", total=_corpus_rows(corpus))
            report = scan(engine, viewer, corpus, output, chunk=chunk, threads=threads,
                          client=client, device=device,
                          progress=lambda n: bar.update(task, completed=n))
    finally:
        if client is not None:
            client.close()  # type: ignore[no-untyped-call]
    for sample in report.error_samples:
        st.err.print(f"skipped {sample}", markup=False)
    resumed = f" (resumed after {report.resumed_from:,})" if report.resumed_from else ""
    st.out.print(f"Scanned {report.rows:,} rows{resumed}: {report.matched_rows:,} matched "
                 f"{report.matches:,} signals; {report.errors:,} bad rows. Matches in {output}.")
