"""JSON envelopes for bus messages.

``ujson`` is used when the image happens to ship it; the standard library is the fallback,
so it is an optional import and not a dependency of this library.
"""

from typing import Any

try:
    import ujson as json
except ImportError:
    import json

from acme.telemetry.tracing import current_trace_id


def dumps(payload: Any) -> bytes:
    """Wrap ``payload`` (a dict or a pydantic model) in an envelope carrying the trace id."""
    if hasattr(payload, "model_dump"):
        payload = payload.model_dump(mode="json")
    return json.dumps({"trace_id": current_trace_id(), "payload": payload}).encode("utf-8")


def loads(body: bytes) -> tuple[str | None, Any]:
    """Return ``(trace_id, payload)`` from an envelope."""
    envelope = json.loads(body.decode("utf-8"))
    return envelope.get("trace_id"), envelope["payload"]
