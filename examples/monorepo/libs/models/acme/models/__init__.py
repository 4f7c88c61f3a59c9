"""Domain models shared by the acme services (namespace portion ``acme.models``)."""

from .invoices import Invoice, InvoiceLine
from .orders import Order, OrderItem, OrderStatus

__all__ = ["Invoice", "InvoiceLine", "Order", "OrderItem", "OrderStatus"]
