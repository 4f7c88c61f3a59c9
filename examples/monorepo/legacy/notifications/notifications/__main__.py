"""``python -m notifications``: send one templated e-mail from the command line."""

import argparse
import json
import sys

from notifications.sender import send_email
from notifications.templates import OrderConfirmation, render


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="notifications")
    parser.add_argument("recipient")
    parser.add_argument("context", help="JSON object with the template variables")
    args = parser.parse_args(argv)
    context = OrderConfirmation(**json.loads(args.context))
    send_email(args.recipient, "Your acme order", render("order_confirmation.html", context))
    return 0


if __name__ == "__main__":
    sys.exit(main())
