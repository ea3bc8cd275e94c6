"""Safe decoding of untrusted files: type sniffing, size, pixel, duration, page and time limits.

``source.load_media`` reads a file under the byte limit and sniffs its kind;
``image``, ``video`` and ``document`` decode it within the limits of
``limits.MediaLimits``; every failure is one of the typed errors in ``errors``.

Dependency rule: this package imports no fastapi, typer, jinja2, accord.api,
accord.web, accord.cli, nor accord.signals (signals build on media, not the
other way round).
"""
