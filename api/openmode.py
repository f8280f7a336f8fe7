"""What open mode (no sign-in: the loopback quick start) still refuses.

Listening on loopback keeps other machines out, but not other web sites: a page on any site can rebind
its DNS name to 127.0.0.1 and read the API under its own name (DNS rebinding), or post a cross-site form
(an upload) to 127.0.0.1 directly. So, in open mode only, a request must name this server by a loopback
name or address with the port it listens on, and a state-changing request must not come from another
site (by Sec-Fetch-Site or Origin). Pure functions of the request's headers, tested as tables.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Sec-Fetch-Site values of a request our own page (or the user, typing a URL) made.
OWN_FETCH_SITES = ("same-origin", "none")


def host_and_port(value: str, scheme: str) -> tuple[str, int] | None:
    """'name:port', '[v6]:port' or a bare name, with the scheme's default port; None when malformed."""
    value = value.strip().lower()
    if not value or any(c in value for c in "/@?# "):
        return None
    if value.startswith("["):
        name, sep, rest = value[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:]
    else:
        name, _, port_text = value.rpartition(":") if ":" in value else (value, "", "")
    if not name:
        return None
    if not port_text:
        return name, DEFAULT_PORTS.get(scheme, 80)
    if not port_text.isdigit() or len(port_text) > 5:
        return None
    return name, int(port_text)


def is_loopback_name(name: str) -> bool:
    """localhost, or a loopback address literal. Never a DNS name: that is what a rebinding page uses."""
    if name == "localhost" or name.endswith(".localhost"):  # RFC 6761: browsers resolve these themselves
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_refusal(host: str | None, scheme: str, served_port: int | None) -> str | None:
    """Why this Host header is refused in open mode, or None when it names this server on loopback."""
    parsed = host_and_port(host or "", scheme)
    if parsed is None or not is_loopback_name(parsed[0]):
        return (
            f"the server runs without sign-in, so it answers only to a loopback host name, not {host!r} "
            "(create a token with `foia token create` to serve other names)"
        )
    if served_port is not None and parsed[1] != served_port:
        return f"the server runs without sign-in and listens on port {served_port}, not {parsed[1]}"
    return None


def cross_site_refusal(
    method: str, origin: str | None, fetch_site: str | None, host: str | None, scheme: str
) -> str | None:
    """Why this state-changing request is refused as cross-site in open mode, or None."""
    if method.upper() in SAFE_METHODS:
        return None
    if fetch_site is not None and fetch_site.strip().lower() not in OWN_FETCH_SITES:
        return f"a {method} from another site (Sec-Fetch-Site: {fetch_site}) is refused without sign-in"
    if origin is None:
        return None  # not a browser (curl, scripts), or a browser that sent Sec-Fetch-Site, checked above
    parts = urlsplit(origin.strip())
    origin_at = host_and_port(parts.netloc, parts.scheme) if parts.scheme in DEFAULT_PORTS else None
    if origin_at is None or origin_at != host_and_port(host or "", scheme):
        return f"a {method} from another origin ({origin}) is refused without sign-in"
    return None
