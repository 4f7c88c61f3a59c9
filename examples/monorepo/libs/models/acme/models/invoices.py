"""Invoices produced by the billing worker from paid orders."""

from decimal import Decimal

from pydantic import BaseModel, computed_field

from .orders import Order


class InvoiceLine(BaseModel):
    description: str
    amount: Decimal


class Invoice(BaseModel):
    order_id: str
    customer_id: str
    lines: list[InvoiceLine]
    currency: str = "EUR"

    @computed_field
    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0"))

    @classmethod
    def from_order(cls, order: Order) -> "Invoice":
        """One invoice line per order item."""
        lines = [
            InvoiceLine(description=f"{item.quantity} x {item.sku}", amount=item.unit_price * item.quantity)
            for item in order.items
        ]
        return cls(order_id=order.id, customer_id=order.customer_id, lines=lines)
