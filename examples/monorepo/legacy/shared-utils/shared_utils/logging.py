"""Plain stdlib logging with a common prefix, as the first legacy services used it."""

import logging

_PREFIX = "[SHARED LOG]"


def log_info(message: str) -> None:
    """Log ``message`` at INFO level with the shared prefix."""
    logging.getLogger("acme.legacy").info("%s %s", _PREFIX, message)


def log_error(message: str, exc: BaseException | None = None) -> None:
    """Log ``message`` at ERROR level, with the traceback of ``exc`` when given."""
    logging.getLogger("acme.legacy").error("%s %s", _PREFIX, message, exc_info=exc)
