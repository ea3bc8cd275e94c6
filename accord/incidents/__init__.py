"""Incidents (GTD-compatible), their sourcing, pattern analytics, flows and crises."""
