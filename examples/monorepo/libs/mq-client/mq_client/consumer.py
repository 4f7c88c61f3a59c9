"""Consuming from a durable queue bound to a topic exchange."""

from collections.abc import Callable
from typing import Any

import pika

from acme.telemetry.logging import get_logger
from acme.telemetry.tracing import new_trace

from .serializers import loads

log = get_logger(__name__)

Handler = Callable[[str, Any], None]


class Consumer:
    """Runs ``handler(routing_key, payload)`` for every message, inside the sender's trace."""

    def __init__(self, url: str, exchange: str, queue: str, binding: str = "#") -> None:
        self._connection = pika.BlockingConnection(pika.URLParameters(url))
        self._channel = self._connection.channel()
        self._channel.exchange_declare(exchange, exchange_type="topic", durable=True)
        self._channel.queue_declare(queue, durable=True)
        self._channel.queue_bind(queue, exchange, routing_key=binding)
        self._queue = queue

    def run(self, handler: Handler) -> None:
        def on_message(channel, method, _properties, body):
            trace_id, payload = loads(body)
            with new_trace(trace_id):
                handler(method.routing_key, payload)
            channel.basic_ack(method.delivery_tag)

        self._channel.basic_consume(self._queue, on_message)
        log.info("consuming", queue=self._queue)
        self._channel.start_consuming()
