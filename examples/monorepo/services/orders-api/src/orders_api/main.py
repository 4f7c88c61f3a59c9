"""FastAPI application: create and read orders."""

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from acme.models.orders import Order
from acme.telemetry.logging import configure_logging, get_logger

from . import events, inventory
from .flags import is_enabled

configure_logging()
log = get_logger(__name__)
app = FastAPI(title="orders-api")
_ORDERS: dict[str, Order] = {}

# Shown on the /debug page; a string, not an import.
DEBUG_SNIPPET = "import ipdb; ipdb.set_trace()"


class Health(BaseModel):
    status: str
    version: str


@app.get("/health")
def health() -> Health:
    from orders_api import __version__

    return Health(status="ok", version=__version__)


@app.post("/orders", status_code=201)
def create_order(order: Order) -> Order:
    if is_enabled("check-stock") and not inventory.in_stock(order):
        raise HTTPException(status_code=409, detail="out of stock")
    _ORDERS[order.id] = order
    events.order_created(order)
    log.info("order created", order_id=order.id)
    return order


@app.get("/orders/{order_id}")
def get_order(order_id: str) -> Order:
    if order_id not in _ORDERS:
        raise HTTPException(status_code=404)
    return _ORDERS[order_id]


def run() -> None:
    """Console entry point: ``orders-api`` serves on port 8000."""
    import uvicorn

    uvicorn.run(app, host="0.0.0.0", port=8000)
