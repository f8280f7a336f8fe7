"""Alert email over real SMTP (aiosmtpd started here, with a certificate made here): STARTTLS with a
login, TLS from the start; a plain session where TLS is required, a certificate not trusted and a server
without STARTTLS are failures with their reason, and the message says what the alert says."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ingest.alert_sender import DeliveryFailed, SmtpConfig, email_message, send_email
from tests.receivers import free_port

PAYLOAD: dict[str, object] = {
    "saved_search": {"id": "ss_1", "name": "Palantir contracts", "query": "palantir"},
    "collection": {"id": "col_1", "name": "halvorsen v. DHS"},
    "production": {"id": "prd_1", "name": "Release 7"},
    "new_documents": 1,
    "search_url": "https://foia.example.org/search?q=palantir&production=prd_1",
}


def _certificate(root: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = root / "cert.pem", root / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class Handler:
    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, bytes]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.messages.append((envelope, envelope.content))
        return "250 Message accepted"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"alerts", b"s3cret")
    return AuthResult(success=ok)


@contextmanager
def _server(handler: Handler, **kw: Any) -> Iterator[int]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kw)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def tls(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(the server's context, a client context trusting only that certificate)"""
    cert, key = _certificate(tmp_path)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    return server, ssl.create_default_context(cafile=str(cert))


def test_starttls_with_a_login_delivers_the_alert(tls: tuple[ssl.SSLContext, ssl.SSLContext]) -> None:
    server_tls, client_tls = tls
    handler = Handler()
    with _server(
        handler, tls_context=server_tls, require_starttls=True, auth_required=True, authenticator=_authenticator
    ) as port:
        config = SmtpConfig(
            "127.0.0.1", port, "starttls", "alerts", "s3cret", "alerts@foia.example.org", 10, client_tls
        )
        send_email(config, email_message(PAYLOAD, config.sender, "reviewer@example.org"))
        with pytest.raises(DeliveryFailed, match=r"^SMTP 530"):  # plain, where the server requires TLS
            plain = SmtpConfig("127.0.0.1", port, "none", None, None, "a@b.org", 10)
            send_email(plain, email_message(PAYLOAD, plain.sender, "reviewer@example.org"))
        with pytest.raises(DeliveryFailed, match=r"SMTP failed: SSLCertVerificationError"):
            untrusted = SmtpConfig("127.0.0.1", port, "starttls", "alerts", "s3cret", "a@b.org", 10)
            send_email(untrusted, email_message(PAYLOAD, untrusted.sender, "reviewer@example.org"))
    ((envelope, raw),) = handler.messages
    assert envelope.mail_from == "alerts@foia.example.org" and envelope.rcpt_tos == ["reviewer@example.org"]
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert message["Subject"] == "1 new document for “Palantir contracts”"
    text = message.get_content()
    assert "“Release 7” in halvorsen v. DHS brought 1 new document" in text
    assert "See them: https://foia.example.org/search?q=palantir&production=prd_1" in text


def test_tls_from_the_start_delivers_the_alert(tls: tuple[ssl.SSLContext, ssl.SSLContext]) -> None:
    server_tls, client_tls = tls
    handler = Handler()
    with _server(handler, server_kwargs={}, ssl_context=server_tls) as port:
        config = SmtpConfig("127.0.0.1", port, "ssl", None, None, "alerts@foia.example.org", 10, client_tls)
        send_email(config, email_message(PAYLOAD, config.sender, "reviewer@example.org"))
    assert [e.rcpt_tos for e, _ in handler.messages] == [["reviewer@example.org"]]


def test_a_server_without_starttls_is_a_failure_saying_so() -> None:
    handler = Handler()
    with _server(handler) as port, pytest.raises(DeliveryFailed, match="STARTTLS extension not supported"):
        send_email(SmtpConfig("127.0.0.1", port, "starttls", timeout=10), email_message(PAYLOAD, "a@b.org", "c@d.org"))
    assert handler.messages == []


def test_the_settings_give_the_worker_its_smtp_server_and_retry_policy(tmp_path: Path) -> None:
    from foia.settings import Settings
    from foia.wiring import make_delivery_sender, open_services

    settings = Settings(
        data_dir=tmp_path / "data",
        smtp_host="mail.example.org",
        smtp_port=465,
        smtp_security="ssl",
        smtp_username="alerts",
        smtp_password="s3cret",
        smtp_from="foia@example.org",
        smtp_timeout_seconds=7,
        alert_max_attempts=4,
        alert_retry_seconds=12,
        webhook_timeout_seconds=3,
    )
    services = open_services(settings)
    try:
        sender = make_delivery_sender(services, "worker-1")
    finally:
        services.close()
    assert sender.smtp == SmtpConfig("mail.example.org", 465, "ssl", "alerts", "s3cret", "foia@example.org", 7.0)
    assert (sender.owner, sender.max_attempts, sender.retry_seconds, sender.webhook_timeout) == (
        "worker-1",
        4,
        12.0,
        3.0,
    )
