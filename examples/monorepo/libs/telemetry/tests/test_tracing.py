"""Tests for acme.telemetry.tracing."""

import pytest

from acme.telemetry.tracing import current_trace_id, new_trace


def test_new_trace_sets_and_resets_the_id():
    assert current_trace_id() is None
    with new_trace("abc123") as trace_id:
        assert trace_id == "abc123"
        assert current_trace_id() == "abc123"
    assert current_trace_id() is None


def test_new_trace_generates_an_id_when_none_is_given():
    with new_trace() as trace_id:
        assert len(trace_id) == 32


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING"])
def test_configure_logging_accepts_standard_levels(level):
    from acme.telemetry.logging import configure_logging

    configure_logging(level)
