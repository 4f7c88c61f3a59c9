"""URL-safe signatures with a shared secret.

Failures are logged through shared_utils, which itself depends on this package: that is the
dependency cycle the example monorepo keeps on purpose.
"""

import os

from itsdangerous import BadSignature, URLSafeSerializer

from shared_utils.logging import log_error


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(os.environ["LINK_SECRET"], salt="links")


def sign(value: str) -> str:
    """A signature over ``value``."""
    return _serializer().dumps(value)


def verify(value: str, signature: str) -> bool:
    """True when ``signature`` was produced by :func:`sign` for ``value``."""
    try:
        return _serializer().loads(signature) == value
    except BadSignature as exc:
        log_error("bad link signature", exc)
        return False
