"""The dependency rules: the core never imports the edges or their frameworks, and each core
package imports only the packages below it (DESIGN.md section 3)."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "accord"

# The edges: they parse, authorize, call the core and render. The table does not bind them
# (they may import any core package); no core package may import them. ``pytx`` is the
# python-threatexchange extension, an edge outside the node: it runs in pytx's virtualenv
# and imports nothing of Accord (tests/exchange/test_pytx_extension.py holds it to that).
EDGES = ("cli", "api", "web", "demo", "pytx", "app.py", "__main__.py")

# The core, top to bottom: each package or module may import itself and only those listed
# (all of them below it). A new package must be given its row here.
ALLOWED: dict[str, str] = {
    "node.py": "exchange reports cooperation incidents review matching curation entities sharing"
               " safeguards signals media index taxonomy"
               " audit_anchor.py audit.py store config.py errors.py i18n",
    "exchange": "reports cooperation incidents review matching curation entities sharing"
                " safeguards signals media index taxonomy"
                " audit_anchor.py audit.py store config.py errors.py i18n",
    "reports": "cooperation incidents review matching curation entities sharing"
               " safeguards signals media index taxonomy"
               " audit_anchor.py audit.py store config.py errors.py i18n",
    "cooperation": "incidents review matching curation entities sharing"
                   " safeguards signals media index taxonomy"
                   " audit_anchor.py audit.py store config.py errors.py i18n",
    "incidents": "review matching curation entities sharing"
                 " safeguards signals media index taxonomy"
                 " audit_anchor.py audit.py store config.py errors.py i18n",
    "review": "matching curation entities sharing"
              " safeguards signals media index taxonomy"
              " audit_anchor.py audit.py store config.py errors.py i18n",
    "matching": "curation entities sharing"
                " safeguards signals media index taxonomy"
                " audit_anchor.py audit.py store config.py errors.py i18n",
    "curation": "entities sharing"
                " safeguards signals media index taxonomy"
                " audit_anchor.py audit.py store config.py errors.py i18n",
    "entities": "sharing"
                " safeguards signals media index taxonomy"
                " audit_anchor.py audit.py store config.py errors.py i18n",
    "sharing": "safeguards signals media index taxonomy"
               " audit_anchor.py audit.py store config.py errors.py i18n",
    "safeguards": "signals media index taxonomy audit_anchor.py audit.py store config.py"
                  " errors.py i18n",
    "signals": "media index taxonomy audit_anchor.py audit.py store config.py errors.py i18n",
    "media": "index taxonomy audit_anchor.py audit.py store config.py errors.py i18n",
    "index": "taxonomy audit_anchor.py audit.py store config.py errors.py i18n",
    "taxonomy": "audit_anchor.py audit.py store config.py errors.py i18n",
    "audit_anchor.py": "audit.py store config.py errors.py i18n",
    "audit.py": "store config.py errors.py i18n",
    "store": "config.py errors.py i18n",
    "config.py": "errors.py i18n",
    "errors.py": "i18n",
    "i18n": "",
}
# Everyone may import the package root itself (``accord.__version__``).
ROOT = "__init__.py"
FRAMEWORKS = ("fastapi", "typer", "jinja2", "starlette")


def part_of(module: str) -> str | None:
    """The table row an absolute module name belongs to (None outside ``accord``)."""
    parts = module.split(".")
    if parts[0] != "accord":
        return None
    if len(parts) == 1:
        return ROOT
    name = parts[1]
    for row in (name, f"{name}.py"):
        if row in ALLOWED or row in EDGES or (PACKAGE / row).exists():
            return row
    return ROOT                                     # a name from accord/__init__.py


def imported_modules(source: str, path: str) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in ``source``, a file at ``path`` under accord/.

    ``from accord import audit`` counts as importing ``accord.audit``; relative imports are
    resolved against the file's package; imports inside functions count too.
    """
    package = ["accord", *Path(path).parts[1:-1]]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1] if node.level else [])
            module = ".".join(p for p in (base, node.module or "") if p)
            if module == "accord":
                found += [(node.lineno, f"accord.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, module))
    return found


def upward_imports(source: str, path: str) -> list[str]:
    """One message per import in ``source`` (at ``path``, e.g. ``accord/incidents/flows.py``)
    that the table forbids: the file, the line, the import, and the rule it breaks."""
    here = part_of(".".join(Path(path).with_suffix("").parts))
    if here not in ALLOWED:
        return []                                   # an edge (placement is checked below)
    allowed = {here, ROOT, *ALLOWED[here].split()}
    messages = []
    for line, module in imported_modules(source, path):
        target = part_of(module)
        if target is not None and target not in allowed:
            messages.append(
                f"{path}:{line} imports {module}, but {target} is not below {here}: "
                f"{here} may import only {ALLOWED[here] or 'nothing else in accord'} "
                "(DESIGN.md section 3)")
    return messages


def _files(parts: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for part in parts:
        path = PACKAGE / part
        files.extend(path.rglob("*.py") if path.is_dir() else [path] if path.exists() else [])
    return sorted(files)


def _rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


@pytest.mark.parametrize("path", _files(tuple(ALLOWED)), ids=_rel)
def test_each_core_module_imports_only_the_packages_below_it(path: Path) -> None:
    bad = upward_imports(path.read_text(), _rel(path))
    assert bad == [], "\n".join(bad)


# The demo drives core functions only: it stays free of the web and CLI frameworks too.
@pytest.mark.parametrize("path", _files((*ALLOWED, "demo")), ids=_rel)
def test_core_modules_do_not_import_the_edges_or_their_frameworks(path: Path) -> None:
    forbidden = (*FRAMEWORKS, "accord.api", "accord.web", "accord.cli", "accord.app")
    if not _rel(path).startswith("accord/demo/"):
        forbidden += ("accord.demo",)
    bad = sorted({m for _, m in imported_modules(path.read_text(), _rel(path))
                  if any(m == f or m.startswith(f + ".") for f in forbidden)})
    assert bad == [], f"{_rel(path)} imports {bad}"


def test_every_package_and_module_of_accord_has_a_place_in_the_table() -> None:
    found = {p.name for p in PACKAGE.iterdir()
             if p.suffix == ".py" or (p.is_dir() and any(p.rglob("*.py")))}
    unplaced = sorted(found - set(ALLOWED) - set(EDGES) - {ROOT})
    assert unplaced == [], f"place {unplaced} in tests/test_layering.py ALLOWED or EDGES"


def test_the_table_is_a_strict_order_top_to_bottom() -> None:
    rows = list(ALLOWED)
    for above, below in itertools.pairwise(rows):
        assert set(ALLOWED[above].split()) == {below, *ALLOWED[below].split()}, (above, below)


def test_the_checker_reports_an_upward_import_naming_file_import_and_rule() -> None:
    source = "from accord.cooperation.refs import checked_text\nimport accord.store.models\n"
    assert upward_imports(source, "accord/incidents/crisis.py") == [
        "accord/incidents/crisis.py:1 imports accord.cooperation.refs, but cooperation is not "
        "below incidents: incidents may import only " + ALLOWED["incidents"]
        + " (DESIGN.md section 3)"]


@pytest.mark.parametrize(("source", "path"), [
    ("from accord import sharing\n", "accord/audit.py"),                    # a sibling by name
    ("from ..cooperation.refs import x\n", "accord/entities/policy.py"),    # relative
    ("def f() -> None:\n    from accord.node import Node\n", "accord/exchange/sync.py"),
    ("from accord.demo.tour import run_demo\n", "accord/node.py"),          # the demo is an edge
    ("import accord.config\n", "accord/errors.py"),                         # the very bottom
], ids=["from-accord-import", "relative", "inside-a-function", "edge", "bottom"])
def test_the_checker_catches_each_way_of_writing_an_upward_import(source: str,
                                                                 path: str) -> None:
    found = upward_imports(source, path)
    assert len(found) == 1 and found[0].startswith(f"{path}:"), found


def test_the_package_root_own_package_and_lower_packages_are_allowed() -> None:
    source = ("from accord import __version__\nfrom accord.store import models\n"
              "from accord.store.database import Database\nfrom . import records\n"
              "from accord import errors\nimport accord.config\n")
    assert upward_imports(source, "accord/store/schema.py") == []
