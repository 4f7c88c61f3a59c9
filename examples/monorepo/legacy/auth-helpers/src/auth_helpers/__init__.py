"""Signing helpers for the legacy services."""
