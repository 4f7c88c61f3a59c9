"""Render a template in the terminal, for support staff checking what a customer received."""

import sys

from rich.console import Console

from notifications.templates import OrderConfirmation, render


def preview(template: str, **context: str) -> None:
    """Print the rendered HTML of ``template`` with syntax highlighting."""
    html = render(template, OrderConfirmation(**context))
    console = Console()
    console.rule(template)
    console.print(html, markup=False, highlight=True)


if __name__ == "__main__":
    preview(sys.argv[1], customer_name="Ada", order_id="o-1", total="9.90 EUR")
