"""RabbitMQ client used by every acme service that talks to the bus."""

from .consumer import Consumer
from .publisher import Publisher
from .serializers import dumps, loads

__all__ = ["Consumer", "Publisher", "dumps", "loads"]
