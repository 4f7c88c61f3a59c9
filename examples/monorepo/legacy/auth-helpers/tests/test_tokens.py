"""Tests for auth_helpers.tokens."""

import pytest

from auth_helpers.tokens import sign, verify


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("LINK_SECRET", "s3cret")


def test_a_signature_verifies():
    assert verify("user=u-1", sign("user=u-1"))


def test_a_tampered_value_does_not_verify():
    assert not verify("user=u-2", sign("user=u-1"))
