"""Jinja templates and their (pydantic v1) context models."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, validator

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


class OrderConfirmation(BaseModel):
    customer_name: str
    order_id: str
    total: str
    unsubscribe_url: str = ""

    @validator("customer_name")
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("customer_name must not be blank")
        return value


def render(template: str, context: BaseModel) -> str:
    """Render ``template`` with the fields of ``context``."""
    return _ENV.get_template(template).render(**context.dict())
