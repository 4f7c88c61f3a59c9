"""Monthly sales reports served as HTML and CSV."""

import io

from flask import Flask, Response, render_template_string

from acme.models.orders import Order
from queries import load_orders, monthly_totals

app = Flask(__name__)

PAGE = """
<h1>Sales {{ month }}</h1>
<table>{% for day, total in totals %}<tr><td>{{ day }}</td><td>{{ total }}</td></tr>{% endfor %}</table>
"""


@app.get("/reports/<month>")
def report(month: str) -> str:
    orders: list[Order] = load_orders(month)
    return render_template_string(PAGE, month=month, totals=monthly_totals(orders))


@app.get("/reports/<month>.csv")
def report_csv(month: str) -> Response:
    out = io.StringIO()
    for day, total in monthly_totals(load_orders(month)):
        out.write(f"{day},{total}\n")
    return Response(out.getvalue(), mimetype="text/csv")
