"""``accord bundle OUT_DIR``: everything needed to install Accord on a machine with no internet."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.state import state
from accord.cooperation.bundle import build_bundle


def bundle_command(
    ctx: typer.Context,
    out_dir: Path = typer.Argument(..., help="A new (or empty) folder for the bundle."),
    data: list[Path] = typer.Option([], "--data", help="A file to carry in the bundle's data "
                                    "folder (a designation list, an envelope file); repeatable."),
) -> None:
    """Build an offline bundle: wheelhouse, install script, data folder.

    Example: accord bundle ./accord-offline --data consolidated.xml
    then, on the air-gapped machine: ./accord-offline/install.sh
    """
    st = state(ctx)
    with st.out.status("Building the offline bundle...") as status:
        report = build_bundle(out_dir, data_files=data,
                              say=lambda line: status.update(line))
    st.out.print(f"Bundle in {report.folder}: {len(report.wheels)} wheels, "
                 f"{len(report.data_files)} data file(s), {report.size_bytes / 1e6:.0f} MB.")
    st.out.print(f"On the offline machine: {report.folder}/install.sh [VENV_DIR]", markup=False)
