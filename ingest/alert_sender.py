"""Sending queued alert deliveries (catalog/alert_deliveries.py): webhooks and emails, from the worker.

Run by the worker's upkeep thread every few seconds (ingest/worker.py), never by the API. A webhook is a
POST of the alert's JSON body with its HMAC-SHA256 under the saved search's secret in `X-FOIA-Signature`
(`sha256=<hex>`); any 2xx is delivered, redirects are not followed. An email goes through the SMTP server
of the settings. A failed attempt is logged on the delivery (HTTP status, or the error) and tried again
after a doubling delay; after the last attempt the delivery is failed with that reason. An email with no
SMTP server configured fails at once, saying so.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Literal

import structlog

from catalog.alert_deliveries import FAILED, Delivery
from catalog.sql import SqlCatalog

log = structlog.get_logger(__name__)

SIGNATURE_HEADER = "X-FOIA-Signature"
USER_AGENT = "foia-discovery-alerts/1"


class DeliveryFailed(Exception):
    def __init__(self, reason: str, status: int | None = None, permanent: bool = False) -> None:
        super().__init__(reason)
        self.status = status
        self.permanent = permanent


def signature(secret: str, body: bytes) -> str:
    """Pure: the signature header's value for `body` (what a receiver recomputes to check it)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 3xx is an answer of its own, not a hop to another address


def post_webhook(url: str, body: bytes, secret: str, delivery_id: str, timeout: float) -> int:
    """POST the body, signed; returns the status of a 2xx answer, raises DeliveryFailed otherwise."""
    if not url.lower().startswith(("http://", "https://")):  # the API refuses others; never a file: URL here
        raise DeliveryFailed("a webhook URL must be http or https", permanent=True)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: signature(secret, body),
            "X-FOIA-Event": "saved_search.alert",
            "X-FOIA-Delivery": delivery_id,
        },
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        text = exc.read(300).decode("utf-8", "replace").strip()
        raise DeliveryFailed(f"HTTP {exc.code}" + (f": {text}" if text else ""), status=exc.code) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryFailed(f"could not reach the webhook: {reason}") from exc
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status}", status=status)
    return status


@dataclass(frozen=True)
class SmtpConfig:
    host: str | None
    port: int = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password: str | None = None
    sender: str = "foia-discovery@localhost"
    timeout: float = 30.0
    # Tests' servers have self-signed certificates; production verifies (None: the system's defaults).
    tls_context: ssl.SSLContext | None = None


def email_message(payload: dict[str, object], sender: str, to: str) -> EmailMessage:
    """Pure: the alert as a plain-text email."""
    saved = payload["saved_search"]
    production = payload["production"]
    collection = payload["collection"]
    assert isinstance(saved, dict) and isinstance(production, dict) and isinstance(collection, dict)
    count = int(str(payload["new_documents"]))
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    noun = "document" if count == 1 else "documents"
    message["Subject"] = f"{count} new {noun} for “{saved['name']}”"
    message.set_content(
        f"The production “{production['name']}” in {collection['name']} brought {count} new {noun} "
        f"matching your saved search “{saved['name']}” ({saved['query'] or 'every document'}).\n\n"
        f"See them: {payload['search_url']}\n"
    )
    return message


def send_email(config: SmtpConfig, message: EmailMessage) -> None:
    if not config.host:
        raise DeliveryFailed("no SMTP server is configured (FOIA_SMTP_HOST)", permanent=True)
    context = config.tls_context or ssl.create_default_context()
    try:
        smtp: smtplib.SMTP
        if config.security == "ssl":
            smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with smtp:
            if config.security == "starttls":
                smtp.starttls(context=context)
            if config.username:
                smtp.login(config.username, config.password or "")
            smtp.send_message(message)
    except smtplib.SMTPResponseException as exc:
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        raise DeliveryFailed(f"SMTP {exc.smtp_code}: {text}", status=exc.smtp_code) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryFailed(f"SMTP refused the recipient: {exc.recipients}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryFailed(f"SMTP failed: {type(exc).__name__}: {exc}") from exc


class DeliverySender:
    def __init__(
        self,
        catalog: SqlCatalog,
        owner: str,
        smtp: SmtpConfig,
        *,
        webhook_timeout: float = 10.0,
        max_attempts: int = 6,
        retry_seconds: float = 30.0,
        lease_seconds: float = 120.0,
    ) -> None:
        self.catalog = catalog
        self.owner = owner
        self.smtp = smtp
        self.webhook_timeout = webhook_timeout
        self.max_attempts = max_attempts
        self.retry_seconds = retry_seconds
        self.lease_seconds = lease_seconds

    def send_due(self) -> int:
        """Send every delivery whose time has come; returns how many were delivered."""
        delivered = 0
        while batch := self.catalog.alert_deliveries.claim_due(self.owner, self.lease_seconds):
            for delivery in batch:
                delivered += self._send(delivery)
        return delivered

    def _send(self, delivery: Delivery) -> int:
        bound = log.bind(delivery_id=delivery.id, channel=delivery.channel, attempt=delivery.attempts)
        deliveries = self.catalog.alert_deliveries
        try:
            status = self._attempt(delivery)
        except DeliveryFailed as exc:
            state = deliveries.attempt_failed(
                delivery.id,
                self.owner,
                str(exc),
                exc.status,
                1 if exc.permanent else self.max_attempts,
                self.retry_seconds,
            )
            bound.warning("alert_delivery_failed", reason=str(exc), final=state == FAILED)
            return 0
        deliveries.sent(delivery.id, self.owner, status)
        bound.info("alert_delivered", status=status)
        return 1

    def _attempt(self, delivery: Delivery) -> int | None:
        if delivery.channel == "webhook":
            secret = self.catalog.saved_searches.webhook_secret(delivery.saved_search_id)
            if secret is None:
                raise DeliveryFailed("the saved search has no webhook any more", permanent=True)
            return post_webhook(delivery.target, delivery.payload.encode(), secret, delivery.id, self.webhook_timeout)
        message = email_message(json.loads(delivery.payload), self.smtp.sender, delivery.target)
        send_email(self.smtp, message)
        return None
