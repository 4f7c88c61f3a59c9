"""Tests for notifications.templates."""

import pytest
from pydantic import ValidationError

from notifications.templates import OrderConfirmation, render


def test_order_confirmation_renders_the_order_id():
    html = render("order_confirmation.html", OrderConfirmation(customer_name="Ada", order_id="o-1", total="9.90 EUR"))
    assert "o-1" in html


def test_blank_names_are_rejected():
    with pytest.raises(ValidationError):
        OrderConfirmation(customer_name="  ", order_id="o-1", total="1 EUR")
