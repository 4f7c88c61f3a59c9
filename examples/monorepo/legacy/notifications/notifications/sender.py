"""Sending through Amazon SES."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import boto3

from shared_utils.logging import log_info

if TYPE_CHECKING:
    from mypy_boto3_ses import SESClient

SENDER = os.environ.get("MAIL_FROM", "no-reply@acme.example")


def _client() -> SESClient:
    return boto3.client("ses", region_name=os.environ.get("AWS_REGION", "eu-west-1"))


def send_email(recipient: str, subject: str, html: str) -> str:
    """Send one HTML e-mail and return the SES message id."""
    response = _client().send_email(
        Source=SENDER,
        Destination={"ToAddresses": [recipient]},
        Message={"Subject": {"Data": subject}, "Body": {"Html": {"Data": html}}},
    )
    log_info(f"sent '{subject}' to {recipient}")
    return response["MessageId"]
