"""Tests for billing_worker.charges (Stripe is never called)."""

from decimal import Decimal

import pytest

from acme.models.orders import Order, OrderItem
from billing_worker.charges import amount_in_cents


@pytest.mark.parametrize(
    ("price", "quantity", "cents"),
    [(Decimal("9.99"), 1, 999), (Decimal("0.50"), 3, 150)],
)
def test_amount_is_in_cents(price, quantity, cents):
    order = Order(id="o", customer_id="c", items=[OrderItem(sku="x", quantity=quantity, unit_price=price)])
    assert amount_in_cents(order) == cents
