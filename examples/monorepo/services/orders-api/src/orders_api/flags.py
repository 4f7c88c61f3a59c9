"""Feature flags from the internal flag service (distribution ``acme-feature-flags``)."""

import functools

import acme_flags


@functools.cache
def _client() -> acme_flags.Client:
    return acme_flags.Client(service="orders-api")


def is_enabled(flag: str) -> bool:
    """Whether ``flag`` is on for this service; off when the flag service is unreachable."""
    try:
        return _client().is_enabled(flag)
    except acme_flags.FlagServiceError:
        return False
