"""Charging customers with Stripe."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import stripe

if TYPE_CHECKING:
    from acme.models.orders import Order

stripe.api_key = os.environ.get("STRIPE_API_KEY", "")


def amount_in_cents(order: Order) -> int:
    """Stripe wants integer minor units."""
    return int(order.total * 100)


def charge_order(order: Order) -> str:
    """Create a PaymentIntent for ``order`` and return its id."""
    intent = stripe.PaymentIntent.create(
        amount=amount_in_cents(order),
        currency="eur",
        customer=order.customer_id,
        metadata={"order_id": order.id},
        idempotency_key=f"order-{order.id}",
    )
    return intent.id
