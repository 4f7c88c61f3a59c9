"""Tests for the aggregation in queries.py."""

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from acme.models.orders import Order, OrderItem
from queries import monthly_totals


def _order(day: int, price: str) -> Order:
    return Order(
        id=f"o-{day}-{price}",
        customer_id="c",
        items=[OrderItem(sku="x", quantity=1, unit_price=Decimal(price))],
        created_at=datetime(2024, 5, day, tzinfo=timezone.utc),
    )


@pytest.mark.parametrize("prices", [["1.00", "2.50"], ["10"]])
def test_orders_of_one_day_are_summed(prices):
    totals = monthly_totals([_order(3, p) for p in prices])
    assert totals == [("2024-05-03", sum((Decimal(p) for p in prices), Decimal("0")))]
