"""Publishing to a topic exchange."""

import pika

from acme.telemetry.logging import get_logger

from .serializers import dumps

log = get_logger(__name__)


class Publisher:
    """Publishes JSON envelopes to one exchange; reconnects lazily."""

    def __init__(self, url: str, exchange: str) -> None:
        self._params = pika.URLParameters(url)
        self._exchange = exchange
        self._channel = None

    def _ensure_channel(self):
        if self._channel is None or self._channel.is_closed:
            connection = pika.BlockingConnection(self._params)
            self._channel = connection.channel()
            self._channel.exchange_declare(self._exchange, exchange_type="topic", durable=True)
        return self._channel

    def publish(self, routing_key: str, payload) -> None:
        channel = self._ensure_channel()
        channel.basic_publish(self._exchange, routing_key, dumps(payload), pika.BasicProperties(delivery_mode=2))
        log.info("published", exchange=self._exchange, routing_key=routing_key)
