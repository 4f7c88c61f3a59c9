"""Signed links (unsubscribe, e-mail confirmation) for the legacy services."""

from urllib.parse import urlencode

from auth_helpers.tokens import sign

BASE_URL = "https://app.acme.example"


def signed_link(path: str, **params: str) -> str:
    """Build ``BASE_URL + path`` with ``params`` and a ``sig`` parameter over them."""
    query = dict(sorted(params.items()))
    query["sig"] = sign(urlencode(query))
    return f"{BASE_URL}{path}?{urlencode(query)}"
