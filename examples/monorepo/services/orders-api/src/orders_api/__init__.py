"""acme orders API."""

__version__ = "0.4.0"
