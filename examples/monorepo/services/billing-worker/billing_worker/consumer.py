"""Bus consumer: one charge and one invoice per ``order.created`` event."""

import time

from pika.exceptions import AMQPConnectionError

from acme.models.invoices import Invoice
from acme.models.orders import Order
from acme.telemetry.logging import get_logger
from mq_client import Consumer, Publisher

from .charges import charge_order

log = get_logger(__name__)


def consume_forever(url: str) -> None:
    """Consume until the process is stopped, reconnecting when the broker goes away."""
    invoices = Publisher(url, exchange="billing")

    def handle(routing_key: str, payload: dict) -> None:
        order = Order.model_validate(payload)
        charge_order(order)
        invoices.publish("invoice.created", Invoice.from_order(order))

    while True:
        try:
            Consumer(url, exchange="orders", queue="billing", binding="order.created").run(handle)
        except AMQPConnectionError:
            log.warning("broker unavailable, retrying in 5s")
            time.sleep(5)
