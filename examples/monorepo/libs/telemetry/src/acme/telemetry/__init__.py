"""Shared observability helpers for acme services.

The package is a portion of the ``acme`` namespace (PEP 420): ``acme.models`` ships in another
distribution, so ``src/acme`` deliberately has no ``__init__.py``.
"""

from .logging import configure_logging, get_logger
from .tracing import current_trace_id, new_trace

__all__ = ["configure_logging", "current_trace_id", "get_logger", "new_trace"]
