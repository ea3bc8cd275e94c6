"""Review: recorded matches, the review queue, verdicts, disputes and signed webhooks.

A platform's match is stored with its opaque content reference only, queued
for human review (or auto-actioned where the bank's owner opted in, and never
when a "known legitimate" list also matched), claimed and decided by the
requester's reviewers; a false-positive reject reaches the signal's
contributor as an opinion and a ``signal.disputed`` webhook. Webhook
deliveries are HMAC-signed, retried with backoff and dead-lettered.

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""
