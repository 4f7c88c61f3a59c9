"""Round-trip tests for mq_client.serializers."""

from decimal import Decimal

import pytest

from acme.models.orders import Order, OrderItem
from acme.telemetry.tracing import new_trace
from mq_client.serializers import dumps, loads


@pytest.mark.parametrize("payload", [{"id": 1}, [1, 2, 3], "plain"])
def test_plain_payloads_round_trip(payload):
    assert loads(dumps(payload)) == (None, payload)


def test_pydantic_models_are_dumped_as_json():
    order = Order(id="o-7", customer_id="c-1", items=[OrderItem(sku="pen", quantity=1, unit_price=Decimal("2"))])
    _, payload = loads(dumps(order))
    assert payload["id"] == "o-7"


def test_trace_id_travels_in_the_envelope():
    with new_trace("t-42"):
        body = dumps({"ok": True})
    assert loads(body)[0] == "t-42"
