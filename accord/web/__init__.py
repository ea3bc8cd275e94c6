"""The server-rendered web UI: Jinja2 templates and htmx over the same core services.

``accord.web.mount.install`` adds the pages (one module per page group under
``accord.web.pages``) and ``/static`` to the FastAPI app that ``create_app``
builds. Views only read forms, call the core service functions and render.
"""
