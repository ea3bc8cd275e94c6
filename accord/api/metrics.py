"""Gauges describing the worker's match index, refreshed when /metrics is read."""

from __future__ import annotations

from prometheus_client import Gauge

from accord.api.state import ApiState

INDEX_SIGNALS = Gauge("accord_index_signals", "Signals in the match index", ["signal_type"])
INDEX_CURSOR = Gauge("accord_index_audit_cursor", "Last audit event applied to the index")


def update_index_gauges(state: ApiState) -> None:
    """Set the index gauges from the engine."""
    if state.engine is None:
        return
    for kind, count in state.engine.size().items():
        INDEX_SIGNALS.labels(kind).set(count)
    INDEX_CURSOR.set(state.engine.cursor)
