"""The offline node bundle: a wheelhouse, an install script and a data folder.

``build_bundle`` writes, into an empty folder:

- ``wheelhouse/``: wheels of Accord and every pinned dependency, built or
  fetched by ``pip wheel`` on a machine that has an index;
- ``requirements.txt``: each wheel pinned by version and SHA-256, so the
  offline install (``--no-index --require-hashes``) takes exactly these files;
- ``install.sh``: creates a virtual environment and installs from the
  wheelhouse with no network access at all;
- ``data/``: files to carry to the node (a designation list, TAXII envelope
  files), and ``data/inbox/`` for envelope files to import there;
- ``MANIFEST.json``: Accord's version, the Python and platform the wheels were
  built for, and every file's digest.

The wheels fit the Python version and platform of the machine that built
them: build the bundle on the same OS and Python minor version as the
air-gapped node.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from accord import __version__
from accord.errors import Conflict, Invalid, PartnerUnavailable

Say = Callable[[str], None]

INSTALL_SH = """#!/bin/sh
# Install Accord from this bundle, with no network access.
# Usage: ./install.sh [VENV_DIR] [extra pip options]   (default VENV_DIR: ./venv)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${1:-"$HERE/venv"}
[ $# -gt 0 ] && shift
PYTHON=${PYTHON:-python3}
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --no-index --find-links "$HERE/wheelhouse" \\
    --require-hashes --only-binary :all: --disable-pip-version-check "$@" \\
    -r "$HERE/requirements.txt"
"$VENV/bin/accord" --version
echo "Installed. Next: $VENV/bin/accord init; data files are in $HERE/data"
"""

DATA_README = """Files carried to the offline node.

inbox/  TAXII envelope files to load on this node:  accord import data/inbox/FILE
        (write them on the other node with: accord export --taxii-envelope FILE)
Other files here (a designation list, say) are loaded with their own commands,
e.g. accord entity import data/consolidated.xml
"""


@dataclass(frozen=True, slots=True)
class BundleReport:
    """What went into a bundle."""

    folder: Path
    wheels: tuple[str, ...]
    data_files: tuple[str, ...]
    size_bytes: int


def source_tree() -> Path | None:
    """The Accord source tree this code runs from (an editable install), if any."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "accord").is_dir() else None


def sha256_of(path: Path) -> str:
    """The SHA-256 hex digest of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_folder(out_dir: Path) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise Conflict("{out_dir} exists and is not an empty folder",
                       hint="choose a new folder for the bundle", out_dir=out_dir)


def _pip_wheel(target: str, wheelhouse: Path, say: Say) -> None:
    command = [sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check",
               "--wheel-dir", str(wheelhouse), target]
    say(f"Collecting wheels for {target} (pip wheel)...")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise PartnerUnavailable("pip could not collect the wheels: {last}",
                                 hint="build the bundle on a machine with access to a package "
                                      "index (or a local mirror set in pip's configuration)",
                                 last=last[:300])


def _requirement(wheel: Path) -> str:
    name, version = wheel.name.split("-")[:2]
    return f"{name}=={version} --hash=sha256:{sha256_of(wheel)}"


def build_bundle(out_dir: Path, *, data_files: Sequence[Path] = (),
                 source: Path | None = None, say: Say = lambda _line: None) -> BundleReport:
    """Write an offline install bundle into ``out_dir`` (new or empty)."""
    _check_folder(out_dir)
    for path in data_files:
        if not path.is_file():
            raise Invalid("no file {path!r} to put in the bundle's data folder", path=str(path))
    tree = source or source_tree()
    wheelhouse = out_dir / "wheelhouse"
    wheelhouse.mkdir(parents=True, exist_ok=True)
    _pip_wheel(str(tree) if tree else f"accord=={__version__}", wheelhouse, say)
    wheels = sorted(wheelhouse.glob("*.whl"))
    if not any(w.name.split("-")[0].lower() == "accord" for w in wheels):
        raise PartnerUnavailable("pip produced no Accord wheel")
    say(f"{len(wheels)} wheels; pinning them by SHA-256.")
    (out_dir / "requirements.txt").write_text(
        "".join(_requirement(w) + "\n" for w in wheels))
    script = out_dir / "install.sh"
    script.write_text(INSTALL_SH)
    script.chmod(0o755)
    inbox = out_dir / "data" / "inbox"
    inbox.mkdir(parents=True)
    (out_dir / "data" / "README.txt").write_text(DATA_README)
    copied = []
    for path in data_files:
        shutil.copy2(path, out_dir / "data" / path.name)
        copied.append(path.name)
    files = sorted(p for p in out_dir.rglob("*") if p.is_file())
    manifest = {
        "accord": __version__,
        "python": platform.python_version(),
        "platform": f"{sys.platform}-{platform.machine()}",
        "files": {str(p.relative_to(out_dir)): sha256_of(p) for p in files},
    }
    (out_dir / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
    size = sum(p.stat().st_size for p in files)
    say(f"Bundle ready in {out_dir} ({size / 1e6:.0f} MB): run ./install.sh there.")
    return BundleReport(out_dir, tuple(w.name for w in wheels), tuple(copied), size)
