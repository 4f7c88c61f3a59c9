"""Order events published on the ``orders`` exchange."""

import os

from pika.exceptions import AMQPError

from acme.models.orders import Order
from acme.telemetry.logging import get_logger
from mq_client import Publisher

log = get_logger(__name__)
_publisher = Publisher(os.environ.get("AMQP_URL", "amqp://guest:guest@localhost:5672/"), exchange="orders")


def order_created(order: Order) -> None:
    """Publish ``order.created``; a broker outage must not fail the HTTP request."""
    try:
        _publisher.publish("order.created", order)
    except AMQPError:
        log.exception("could not publish order.created", order_id=order.id)
