"""API tests with the FastAPI test client; the bus and the inventory service are stubbed."""

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from orders_api import events, inventory, main


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setattr(events, "order_created", lambda order: None)
    monkeypatch.setattr(inventory, "in_stock", lambda order: True)
    return TestClient(main.app)


def test_create_then_read_an_order(client):
    body = {"id": "o-1", "customer_id": "c-1", "items": [{"sku": "mug", "quantity": 1, "unit_price": str(Decimal("9.90"))}]}
    assert client.post("/orders", json=body).status_code == 201
    assert client.get("/orders/o-1").json()["customer_id"] == "c-1"


def test_unknown_order_is_404(client):
    assert client.get("/orders/nope").status_code == 404
