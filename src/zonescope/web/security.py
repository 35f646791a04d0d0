"""What keeps the server safe on a bureau's network: headers, the write token, CSRF.

Reading is open on the bound address. Every write needs the token
(`ZONESCOPE_TOKEN`, or one generated at start and printed once); a server bound
to a non-loopback address without `ZONESCOPE_TOKEN` refuses writes altogether,
since a generated token printed to a console is too easy to share by accident.
Form posts carry a CSRF token that must match the `zs_csrf` cookie (double submit).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zonescope.errors import ZoneScopeError

# Plotly creates two <style> elements (one empty, one with its hover rules) and sets style
# attributes: those two elements are allowed by hash, attributes inline; scripts only 'self'.
PLOTLY_STYLES = ("'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' "
                 "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; "
       f"style-src-elem 'self' {PLOTLY_STYLES}; style-src-attr 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
CSRF_COOKIE = "zs_csrf"
CSRF_FIELD = "csrf"


class WebError(ZoneScopeError):
    """A refusal by the web layer itself, with its HTTP status."""

    def __init__(self, status: int, key: str, **params: object) -> None:
        self.status = status
        super().__init__(key, **params)


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response (cheaper than BaseHTTP)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in HEADERS if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and `localhost`; everything else may be reached by others."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WritePolicy:
    """Whether writes are possible, and the token they need."""

    token: str | None
    reason: str | None = None  # message key when writes are disabled

    @classmethod
    def decide(cls, host: str, env_token: str | None, token: str | None = None
               ) -> tuple[WritePolicy, bool]:
        """The policy and whether its token was generated here (and must be printed once)."""
        given = token or env_token
        if given:
            if len(given) < 16:
                raise ZoneScopeError("web.token_short")
            return cls(given), False
        if not is_loopback(host):
            return cls(None, "web.writes_disabled"), False
        return cls(secrets.token_urlsafe(24)), True

    def check(self, offered: str | None) -> None:
        if self.token is None:
            raise WebError(403, self.reason or "web.writes_disabled")
        if not offered:
            raise WebError(401, "web.token_missing")
        if not hmac.compare_digest(offered.encode(), self.token.encode()):
            raise WebError(403, "web.token_wrong")


def bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def check_csrf(cookie: str | None, field: str | None) -> None:
    if not cookie or not field or not hmac.compare_digest(cookie.encode(), field.encode()):
        raise WebError(403, "web.csrf")
