"""The HTTP API under ``/api/v1`` (and TAXII 2.1 under ``/taxii2/``): thin routers.

Routers parse input, call one service function and shape its result; errors
from the core become RFC 9457 problem details, their statuses from the one table
in ``accord.errors``. ``app.install`` adds all of it to the node's app, which
``accord.app.create_app`` builds; the API reads the running ``accord.node.Node``
and keeps one cache of its own (``auth.KeyCache``, emptied from the node's change
feed). It never imports the web UI, which stands beside it on the same app.
"""
