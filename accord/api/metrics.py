"""Gauges describing the worker's match index, refreshed when /metrics is read."""

from __future__ import annotations

from prometheus_client import Gauge

from accord.node import Node

INDEX_SIGNALS = Gauge("accord_index_signals", "Signals in the match index", ["signal_type"])
INDEX_CURSOR = Gauge("accord_index_audit_cursor", "Last audit event applied to the index")


def update_index_gauges(node: Node) -> None:
    """Set the index gauges from the node's engine."""
    if node.engine is None:
        return
    for kind, count in node.engine.size().items():
        INDEX_SIGNALS.labels(kind).set(count)
    INDEX_CURSOR.set(node.engine.cursor)
