"""The audit log: append-only, hash-chained, and verification names the first bad event.

Tampering is done the way an intruder with database access would: straight
SQL on the table, after dropping the append-only triggers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from accord import audit
from accord.audit import AuditAction
from accord.sharing.roles import Actor
from accord.store.database import Database


def _log(db: Database, count: int = 5) -> None:
    actor = Actor.operator("tester")
    for i in range(1, count + 1):
        with db.transaction() as session:
            audit.record(session, actor, "test.event", "thing", i, {"n": i, "名": "值"})


def _drop_guards(db: Database) -> None:
    with db.engine.begin() as conn:
        if db.backend == "sqlite":
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))


def _sql(db: Database, statement: str) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql(statement)


def test_an_untouched_log_verifies(db: Database) -> None:
    _log(db)
    report = audit.verify(db)
    assert report.ok and report.events_checked == 5


def test_an_empty_log_verifies(db: Database) -> None:
    assert audit.verify(db).ok


def test_each_event_links_to_the_previous_one(db: Database) -> None:
    _log(db, 3)
    events = audit.tail(db, 10)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == audit.GENESIS
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert events[2].details == {"n": 3, "名": "值"}


def test_the_database_refuses_to_update_or_delete_events(db: Database) -> None:
    _log(db, 2)
    for statement in ("UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            _sql(db, statement)
    assert audit.verify(db).ok


def test_an_edited_event_is_named(db: Database) -> None:
    _log(db)
    _drop_guards(db)
    _sql(db, "UPDATE audit_events SET details = '{\"n\":99}' WHERE seq = 3")
    report = audit.verify(db)
    assert not report.ok
    assert report.first_bad_seq == 3
    assert report.reason is not None and "event 3 was altered" in report.reason


def test_a_rehashed_edit_still_breaks_the_next_link(db: Database) -> None:
    _log(db)
    _drop_guards(db)
    e = next(e for e in audit.events(db) if e.seq == 2)
    forged = audit.event_hash(
        e.seq,
        e.at,
        "mallory",
        e.action,
        e.object_type,
        e.object_id,
        audit.canonical_json(e.details),
        e.prev_hash,
    )
    _sql(db, f"UPDATE audit_events SET actor = 'mallory', hash = '{forged}' WHERE seq = 2")
    report = audit.verify(db)
    assert report.first_bad_seq == 3
    assert report.reason is not None and "does not link to event 2" in report.reason


def test_a_deleted_event_is_named(db: Database) -> None:
    _log(db)
    _drop_guards(db)
    _sql(db, "DELETE FROM audit_events WHERE seq = 2")
    report = audit.verify(db)
    assert report.first_bad_seq == 2
    assert report.reason is not None and "event 2 is missing" in report.reason


def test_reordered_events_are_named(db: Database) -> None:
    _log(db)
    _drop_guards(db)
    _sql(db, "UPDATE audit_events SET seq = 100 WHERE seq = 2")
    _sql(db, "UPDATE audit_events SET seq = 2 WHERE seq = 3")
    _sql(db, "UPDATE audit_events SET seq = 3 WHERE seq = 100")
    report = audit.verify(db)
    assert not report.ok and report.first_bad_seq == 2


def test_events_cut_from_the_end_are_noticed(db: Database) -> None:
    _log(db)
    _drop_guards(db)
    _sql(db, "DELETE FROM audit_events WHERE seq = 5")
    report = audit.verify(db)
    assert report.first_bad_seq == 5
    assert report.reason is not None and "deleted from the end" in report.reason


def test_cli_verify_exits_non_zero_and_names_the_event(db: Database, cli) -> None:  # type: ignore[no-untyped-def]
    _log(db)
    ok = cli("audit", "verify")
    assert ok.exit_code == 0 and "5 events" in ok.stdout
    _drop_guards(db)
    _sql(db, "UPDATE audit_events SET object_id = '42' WHERE seq = 4")
    bad = cli("audit", "verify")
    assert bad.exit_code == 4
    assert "audit log broken at event 4" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout


# --- the actions: one enum, the only source of their names ----------------------------

PACKAGE = Path(__file__).resolve().parent.parent / "accord"


def _module_names(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level constants (``A, B = x, y`` included) to the expressions they name."""
    names: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
            if isinstance(target, ast.Name):
                names[target.id] = value
            elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
                names.update((t.id, v) for t, v in zip(target.elts, value.elts, strict=True)
                             if isinstance(t, ast.Name))
    return names


def _actions_named(node: ast.expr, names: dict[str, ast.expr]) -> list[str] | None:
    """The members an action argument can be, or None when it is not built from members."""
    if isinstance(node, ast.IfExp):
        body, orelse = _actions_named(node.body, names), _actions_named(node.orelse, names)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, ast.Name) and node.id in names:
        return _actions_named(names[node.id], names)
    if isinstance(node, ast.Attribute) and ast.unparse(node.value) in (
            "AuditAction", "audit.AuditAction"):
        return [node.attr]
    return None


def _audit_writes() -> list[tuple[str, int, ast.expr, dict[str, ast.expr]]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        names = _module_names(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "record" and ast.unparse(node.func.value) == "audit"):
                action = node.args[2] if len(node.args) > 2 else next(
                    k.value for k in node.keywords if k.arg == "action")
                found.append((str(path.relative_to(PACKAGE)), node.lineno, action, names))
    return found


def test_every_audit_write_names_its_action_by_an_auditaction_member() -> None:
    writes = _audit_writes()
    assert len(writes) > 50  # the scan sees the writers
    bad = [f"{path}:{line}: {ast.unparse(action)}" for path, line, action, names in writes
           if any(a not in AuditAction.__members__
                  for a in _actions_named(action, names) or ["(not a member)"])]
    assert bad == [], "write audit actions as AuditAction members"


def test_every_action_is_written_somewhere() -> None:
    written = {a for _, _, action, names in _audit_writes()
               for a in _actions_named(action, names) or []}
    assert set(AuditAction.__members__) - written == set()


def test_an_actions_name_is_its_value_in_capitals_and_no_two_share_a_value() -> None:
    assert all(name == action.value.upper().replace(".", "_")
               for name, action in AuditAction.__members__.items())
    assert len({a.value for a in AuditAction}) == len(AuditAction.__members__)


def test_actions_are_grouped_by_the_area_before_their_first_dot() -> None:
    assert AuditAction.PEER_SYNC_START.area == "peer"
    assert AuditAction.of("key", "member") == {
        AuditAction.KEY_CREATE, AuditAction.KEY_REVOKE, AuditAction.MEMBER_ADD,
        AuditAction.MEMBER_PASSWORD, AuditAction.MEMBER_DEACTIVATE,
        AuditAction.MEMBER_REACTIVATE}
    assert AuditAction.of("nothing") == frozenset()
    assert "key.revoke" in AuditAction.of("key")  # the change feed hands readers plain strings


def test_an_action_is_stored_and_hashed_as_its_plain_string(db: Database) -> None:
    with db.transaction() as session:
        event = audit.record(session, Actor.operator("tester"), AuditAction.SIGNAL_ADD,
                             "signal", 7, {"n": 1})
    [stored] = audit.tail(db, 1)
    assert type(stored.action) is str and stored.action == "signal.add"
    assert stored.hash == event.hash == audit.event_hash(
        stored.seq, stored.at, "tester", "signal.add", "signal", "7", '{"n":1}', audit.GENESIS)
    assert audit.verify(db).ok


def _action_like_strings(path: Path) -> list[str]:
    """String constants that are an action's value, or an area prefix such as ``"key."``."""
    values = {a.value for a in AuditAction}
    prefixes = {f"{a.area}." for a in AuditAction}
    return [node.value for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and (node.value in values or node.value in prefixes)]


def test_no_module_spells_an_action_as_a_string_readers_use_the_enum_too() -> None:
    found = {str(p.relative_to(PACKAGE)): _action_like_strings(p)
             for p in sorted(PACKAGE.rglob("*.py")) if p != PACKAGE / "audit.py"}
    assert {path: names for path, names in found.items() if names} == {}
