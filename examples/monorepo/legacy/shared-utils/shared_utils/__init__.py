"""Helpers shared by the legacy services: logging and signed links."""
