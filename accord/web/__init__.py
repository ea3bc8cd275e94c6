"""The server-rendered web UI: Jinja2 templates and htmx over the same core services.

``accord.web.mount.install`` adds the pages (one module per page group under
``accord.web.pages``) and ``/static`` to the node's app, which
``accord.app.create_app`` builds, beside the API. Views read forms, call the
core service functions (over the running ``accord.node.Node``: its database,
match engine and caches) and render; errors take their statuses from the one
table in ``accord.errors``. The UI never imports the API.
"""
