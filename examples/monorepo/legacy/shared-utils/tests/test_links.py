"""Tests for shared_utils.links."""

import pytest

from shared_utils.links import signed_link


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("LINK_SECRET", "test-secret")


def test_links_are_signed():
    link = signed_link("/unsubscribe", user="u-1")
    assert link.startswith("https://app.acme.example/unsubscribe?user=u-1&sig=")
