"""Receives payment-provider webhooks and logs them through the shared legacy helpers."""

import hashlib
import hmac
import logging
import os

from flask import Flask, abort, request

from shared_utils.logging import log_info

logging.basicConfig(level=logging.INFO, format="%(asctime)s - %(levelname)s - %(message)s")

app = Flask(__name__)
SECRET = os.environ.get("WEBHOOK_SECRET", "").encode()


@app.post("/webhooks/payments")
def payments():
    signature = request.headers.get("X-Signature", "")
    expected = hmac.new(SECRET, request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature, expected):
        abort(401)
    log_info(f"payment event {request.json.get('type')}")
    return {"ok": True}
