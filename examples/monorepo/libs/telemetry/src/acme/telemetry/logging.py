"""Structured logging configured once per process.

Services call :func:`configure_logging` at start-up and then ask for loggers by name.
The old way of doing this, kept here only as an example of what *not* to write::

    import graypy
    handler = graypy.GELFUDPHandler("graylog.internal", 12201)

``graypy`` is not a dependency: the line above sits in a docstring and is never executed.
"""

import logging
import sys

import structlog

from .tracing import current_trace_id


def _add_trace_id(_logger, _method, event_dict):
    event_dict.setdefault("trace_id", current_trace_id())
    return event_dict


def configure_logging(level: str = "INFO") -> None:
    """Route stdlib logging and structlog through one JSON renderer on stdout."""
    logging.basicConfig(stream=sys.stdout, level=level, format="%(message)s")
    structlog.configure(
        processors=[_add_trace_id, structlog.processors.TimeStamper(fmt="iso"), structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
    )


def get_logger(name: str):
    """Return a bound structlog logger tagged with ``logger=name``."""
    return structlog.get_logger().bind(logger=name)
