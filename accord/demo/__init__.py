"""The demo: ``accord demo``'s tour of one node and its four-node cooperation scenario.

An edge-level orchestrator under the CLI, on generated data only: it may
import any core package and calls the same services the edges call; no core
package imports it. ``tour`` builds one node and shows its basics;
``scenario`` (with ``scenario_nodes`` and ``scenario_analytics``) runs
cooperation between four partners' nodes on 127.0.0.1.

No fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports: the
caller serves a node over HTTP when the scenario needs it.
"""
