"""Tests for acme.models.invoices."""

from decimal import Decimal

import pytest

from acme.models import Invoice, Order, OrderItem


@pytest.fixture
def order() -> Order:
    return Order(
        id="o-1",
        customer_id="c-9",
        items=[OrderItem(sku="book", quantity=2, unit_price=Decimal("12.50"))],
    )


def test_invoice_has_one_line_per_item(order):
    invoice = Invoice.from_order(order)
    assert [line.description for line in invoice.lines] == ["2 x book"]


def test_invoice_total_matches_order_total(order):
    assert Invoice.from_order(order).total == order.total == Decimal("25.00")
