"""The HTTP API under ``/api/v1``: thin FastAPI routers over the core services.

Routers parse input, call one service function and shape its result; errors
from the core become RFC 9457 problem details in one table (``problems``).
"""
