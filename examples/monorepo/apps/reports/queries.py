"""Loading orders from the nightly export and aggregating them."""

import csv
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import markdown  # pymono: ignore[PM001] -- preinstalled on the reporting host, see ops runbook

from acme.models.orders import Order

EXPORT_DIR = Path("/var/lib/acme/exports")


def load_orders(month: str) -> list[Order]:
    """Orders of ``month`` (``YYYY-MM``) from the JSON-lines export."""
    path = EXPORT_DIR / f"orders-{month}.jsonl"
    with path.open() as fh:
        return [Order.model_validate(json.loads(line)) for line in fh]


def monthly_totals(orders: list[Order]) -> list[tuple[str, Decimal]]:
    """``(day, total)`` pairs sorted by day."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for order in orders:
        totals[order.created_at.date().isoformat()] += order.total
    return sorted(totals.items())


def totals_as_markdown(rows: list[tuple[str, Decimal]]) -> str:
    """The totals as an HTML table rendered from Markdown (for the e-mailed digest)."""
    table = "| day | total |\n|---|---|\n" + "\n".join(f"| {day} | {total} |" for day, total in rows)
    return markdown.markdown(table, extensions=["tables"])


def write_csv(rows: list[tuple[str, Decimal]], path: Path) -> None:
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
