"""The SSO's rules: which login requests are acceptable, codes, tokens and the profile.

Services take ``session`` and ``now`` (the simulated clock) explicitly, flush and never commit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from marketplace.forms import is_storable_text
from prakerja_gateway.models import CardBinding, Participant, Partner
from prakerja_gateway.sso.errors import SsoError
from prakerja_gateway.sso.models import SsoAuthCode, SsoClient, SsoToken

# Lifetimes are not public: ours, short for codes as OAuth advises (RFC 6749 §4.1.2).
CODE_TTL = timedelta(minutes=5)
ACCESS_TTL = timedelta(hours=1)
REFRESH_TTL = timedelta(days=30)
# The documented scope values, what the consent page calls them, and the profile field each
# fills (the mapping is inferred from the names: sso.md).
SCOPES = {
    "name": ("nama", "name"),
    "email": ("alamat email", "email"),
    "prakerjaid": ("nomor Kartu Prakerja", "no_prakerja"),
    "notelp": ("nomor telepon", "phone_number"),
}
REQUIRED_PARAMS = ("client_id", "redirect_uri", "login_uri", "scope", "state")
PASSED_ON = (*REQUIRED_PARAMS, "client_name")  # what the consent page's query may carry
MAX_PARAM = 500  # the longest state stored with a code
CLIENT_ID = re.compile(r"[\x21-\x7e]{1,64}")  # printable ASCII: nothing a database chokes on
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
DEFAULT_PORTS = {"http": 80, "https": 443}


class LoginRefusal(Exception):
    """Why a login request cannot go on: ``kind`` names the SSO error, ``message`` is for
    people (Indonesian)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class LoginRequest:
    """A checked request to log in: a known client, its own registered addresses."""

    client: SsoClient
    scope: tuple[str, ...]
    state: str
    redirect_uri: str
    login_uri: str

    def query(self) -> dict[str, str]:
        """The consent page's query, in the docs' order."""
        return {
            "client_id": self.client.client_id,
            "client_name": self.client.client_name,
            "login_uri": self.login_uri,
            "redirect_uri": self.redirect_uri,
            "scope": " ".join(self.scope),
            "state": self.state,
        }


def hashed(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def find_client(session: Session, client_id: str | None) -> SsoClient | None:
    if not client_id or not CLIENT_ID.fullmatch(client_id):
        return None
    return session.execute(select(SsoClient).where(SsoClient.client_id == client_id)).scalar()


def read_login_request(
    session: Session, args: Mapping[str, str], own_host: str, *, sandbox: bool
) -> LoginRequest:
    """The login request in ``args`` (consent page or ``oauth/authorize``), or a refusal.

    The client and both addresses are checked before anything else, so that no refusal ever
    sends the browser to an address the client did not register."""
    values = {name: (args.get(name) or "").strip() for name in REQUIRED_PARAMS}
    client = find_client(session, values["client_id"])
    if client is None:
        raise LoginRefusal("unknown_client", "Aplikasi (client_id) ini tidak terdaftar.")
    for name, which in (("login_uri", "login"), ("redirect_uri", "redirect")):
        if not is_registered(values[name], client.registered(which), own_host, sandbox=sandbox):
            raise LoginRefusal(
                "uri_not_registered",
                f"Alamat {name} tidak terdaftar untuk {client.client_name}: "
                f"{values[name] or '(kosong)'}",
            )
    missing = [name for name in REQUIRED_PARAMS if not values[name]]
    if missing:
        raise LoginRefusal("invalid_request", f"Parameter wajib kosong: {', '.join(missing)}.")
    if any(len(value) > MAX_PARAM or not is_storable_text(value) for value in values.values()):
        raise LoginRefusal(
            "invalid_request", f"Parameter terlalu panjang (maks. {MAX_PARAM}) atau tidak valid."
        )
    scope = tuple(dict.fromkeys(values["scope"].split()))
    unknown = [item for item in scope if item not in SCOPES]
    if unknown:
        raise LoginRefusal("invalid_request", f"Scope tidak dikenal: {' '.join(unknown)}.")
    return LoginRequest(client, scope, values["state"], values["redirect_uri"], values["login_uri"])


def is_registered(uri: str, registered: list[str], own_host: str, *, sandbox: bool) -> bool:
    """Scheme, host, port and path must match a registered address (the query may differ). A
    registered path (``/…``) means that path on this simulator's host; in the sandbox any
    address on the tester's own machine counts as registered, as for Scan Wajah callbacks."""
    wanted = _address(uri)
    if wanted is None:
        return False
    if sandbox and wanted[1] in LOOPBACK_HOSTS:
        return True
    own = _address(f"{wanted[0]}://{own_host}/")
    for entry in registered:
        if entry.startswith("/"):
            if own is not None and wanted == (*own[:3], entry):
                return True
        elif _address(entry) == wanted:
            return True
    return False


def _address(uri: str) -> tuple[str, str, int, str] | None:
    """(scheme, host, port, path) of an absolute http(s) URL; None for anything else."""
    if not uri or not uri.isascii() or any(ord(c) < 0x21 for c in uri):
        return None
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname, port or DEFAULT_PORTS[scheme], parts.path or "/"


def with_params(uri: str, **params: str) -> str:
    """``uri`` with ``params`` added to its own query (which is kept)."""
    parts = urlsplit(uri)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))


def participant_refusal(participant: Participant) -> str | None:
    """Why this participant may not log in to a partner with Prakerja, or None."""
    if participant.card is not None and participant.card.status == "revoked":
        return "Kepesertaan Kartu Prakerja Anda telah dicabut, jadi tidak dapat masuk ke mitra."
    return None


def issue_code(session: Session, now: datetime, login: LoginRequest, participant_id: int) -> str:
    """A one-time code for the client's ``redirect_uri`` (valid ``CODE_TTL``)."""
    code = secrets.token_urlsafe(24)
    session.add(
        SsoAuthCode(
            code_hash=hashed(code),
            client_id=login.client.id,
            participant_id=participant_id,
            scope=" ".join(login.scope),
            state=login.state,
            redirect_uri=login.redirect_uri,
            created_at=now,
            expires_at=now + CODE_TTL,
        )
    )
    session.flush()
    return code


def exchange_code(session: Session, now: datetime, client: SsoClient, code: str) -> dict:
    """Tokens for a code: once, by the client it was issued to, before it expires."""
    row = session.execute(
        select(SsoAuthCode).where(
            SsoAuthCode.code_hash == hashed(code), SsoAuthCode.client_id == client.id
        )
    ).scalar()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise SsoError("code_not_found", "Code tidak dikenal, sudah dipakai, atau kedaluwarsa.")
    # Used at most once even when two exchanges race: only one UPDATE finds it unused.
    taken = session.execute(
        update(SsoAuthCode)
        .where(SsoAuthCode.id == row.id, SsoAuthCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise SsoError("code_not_found", "Code sudah dipakai.")
    _usable_participant(session, row.participant_id)
    return _issue_tokens(session, now, client, row.participant_id, row.scope)


def refresh(session: Session, now: datetime, client: SsoClient, token: str) -> dict:
    """A new token pair for a valid refresh token, which is revoked (rotation)."""
    row = _live_token(session, now, client, token, "refresh")
    session.execute(
        update(SsoToken)
        .where(SsoToken.id == row.id)
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    _usable_participant(session, row.participant_id)
    return _issue_tokens(session, now, client, row.participant_id, row.scope)


def profile(session: Session, now: datetime, client: SsoClient, token: str) -> dict:
    """The participant's account, fields outside the granted scope as empty strings."""
    row = _live_token(session, now, client, token, "access")
    participant = _usable_participant(session, row.participant_id)
    granted = set(row.scope.split())
    values = {
        "name": participant.name,
        "email": participant.email,
        "prakerjaid": participant.card.number if participant.card else "",
        "notelp": participant.phone,
    }
    fields = {SCOPES[item][1]: values[item] if item in granted else "" for item in SCOPES}
    return {
        "dp_user_id": _dp_user_id(session, client, participant),
        "email": fields["email"],
        "name": fields["name"],
        "no_prakerja": fields["no_prakerja"],
        "phone_number": fields["phone_number"],
        "user_id": str(participant.id),
    }


def _live_token(session: Session, now: datetime, client: SsoClient, token: str, kind: str):
    if not token or len(token) > 200 or not token.isascii():
        raise SsoError("no_user", "Token tidak dikenal.")
    row = session.execute(
        select(SsoToken).where(
            SsoToken.token_hash == hashed(token),
            SsoToken.kind == kind,
            SsoToken.client_id == client.id,
        )
    ).scalar()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise SsoError("no_user", "Token tidak dikenal, sudah dipakai, atau kedaluwarsa.")
    return row


def _usable_participant(session: Session, participant_id: int) -> Participant:
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise SsoError("no_user", "Peserta tidak ditemukan.")
    refusal = participant_refusal(participant)
    if refusal:
        raise SsoError("no_user", refusal)
    return participant


def _issue_tokens(
    session: Session, now: datetime, client: SsoClient, participant_id: int, scope: str
) -> dict:
    access, refresh_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires_at = now + ACCESS_TTL
    for kind, secret, ttl in (("access", access, ACCESS_TTL), ("refresh", refresh_token,
                                                                 REFRESH_TTL)):  # fmt: skip
        session.add(
            SsoToken(
                token_hash=hashed(secret),
                kind=kind,
                client_id=client.id,
                participant_id=participant_id,
                scope=scope,
                created_at=now,
                expires_at=now + ttl,
            )
        )
    session.flush()
    return {
        "access_token": access,
        "expires_in": str(int(expires_at.timestamp())),  # absolute unix seconds, as a string
        "refresh_token": refresh_token,
        "scope": scope,
        "token_type": "Bearer",
    }


def _dp_user_id(session: Session, client: SsoClient, participant: Participant) -> str:
    """The platform's own account id for this participant (the account that paid with the
    card there), when the client is a platform and one exists; else an empty string."""
    if client.kind != "dp" or participant.card is None:
        return ""
    account = session.execute(
        select(CardBinding.account_id)
        .join(Partner, Partner.id == CardBinding.partner_id)
        .where(Partner.kind == "dp", Partner.catalog_ref == client.catalog_ref)
        .where(CardBinding.card_id == participant.card.id)
    ).scalar()
    return account or ""
