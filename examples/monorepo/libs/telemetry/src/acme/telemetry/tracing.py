"""Request-scoped trace ids carried in a context variable.

Only the standard library is used here so that the module can be imported from anywhere,
including code that runs before logging is configured.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

_TRACE_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("acme_trace_id", default=None)


def current_trace_id() -> str | None:
    """The trace id of the current request, or ``None`` outside of one."""
    return _TRACE_ID.get()


@contextmanager
def new_trace(trace_id: str | None = None) -> Iterator[str]:
    """Run the block under ``trace_id`` (a fresh uuid4 hex when not given)."""
    token = _TRACE_ID.set(trace_id or uuid.uuid4().hex)
    try:
        yield _TRACE_ID.get() or ""
    finally:
        _TRACE_ID.reset(token)
