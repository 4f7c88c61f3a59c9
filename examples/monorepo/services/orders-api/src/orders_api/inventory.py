"""Stock checks against the inventory service (a plain HTTP JSON API)."""

import os

import requests

from acme.models.orders import Order

INVENTORY_URL = os.environ.get("INVENTORY_URL", "http://inventory:8080")


def in_stock(order: Order) -> bool:
    """True when every item of ``order`` is available in the requested quantity."""
    skus = ",".join(item.sku for item in order.items)
    response = requests.get(f"{INVENTORY_URL}/stock", params={"skus": skus}, timeout=2)
    response.raise_for_status()
    stock = response.json()
    return all(stock.get(item.sku, 0) >= item.quantity for item in order.items)
