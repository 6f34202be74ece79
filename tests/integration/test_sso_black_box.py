""" "Login dengan Prakerja" from the outside: a client written from ``shared/prakerja-api/sso.md``
and the sandbox contract alone (no import of the simulator), over real HTTP against a live
server. Both ways of starting a login, the token exchange, refresh, the profile by scope, and
each refusal: unknown client, wrong redirect URI, reused or expired code, expired token, bad
signature. (``test_sso.py`` covers the same and more from the inside.)"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
import requests

from tests.live import fresh_database_url, serve

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
FULL_SCOPE = "name email prakerjaid notelp"
TIMEOUT = 15


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sso-black-box")
    with serve(fresh_database_url(folder, "sso.sqlite3"), folder) as url:
        yield url


@pytest.fixture(scope="module")
def client(base) -> dict:
    """An institution's demo SSO client, as ``GET /sandbox/partners`` lists it (kind "sso")."""
    partners = requests.get(f"{base}/sandbox/partners", timeout=TIMEOUT).json()["partners"]
    found = next(p for p in partners if p["kind"] == "sso" and p["party"] == "lp")
    return {
        **found,
        "redirect_uri": base + found["redirect_uris"][0],
        "login_uri": base + found["login_uris"][0],
    }


def consent_url(base: str, client: dict, **overrides: str) -> str:
    """The docs' "Construct OAuth URL", every value encoded as encodeURIComponent does."""
    params = {
        "client_id": client["client_id"],
        "client_name": client["client_name"],
        "login_uri": client["login_uri"],
        "redirect_uri": client["redirect_uri"],
        "scope": FULL_SCOPE,
        "state": "STATE-123456",
        **overrides,
    }
    return f"{base}/consent-sso?{urlencode(params, quote_via=quote, safe='')}"


def signed_authorize(base: str, client: dict, *, sign_key: str | None = None, **overrides):
    """``GET oauth/authorize`` with X-Client-Id, X-Timestamp and X-Signature (HMAC-SHA1 of
    client id + timestamp + GET + path?query, the integration API's form)."""
    query = urlencode(
        {
            "state": "STATE-7",
            "scope": FULL_SCOPE,
            "client_id": client["client_id"],
            "redirect_uri": client["redirect_uri"],
            "login_uri": client["login_uri"],
            **overrides,
        }
    )
    path, stamp = "/api/v1/oauth/authorize", str(int(time.time()))
    raw = f"{client['client_id']}{stamp}GET{path}?{query}".encode()
    key = (sign_key or client["sign_key"]).encode()
    headers = {
        "X-Client-Id": client["client_id"],
        "X-Timestamp": stamp,
        "X-Signature": hmac.new(key, raw, hashlib.sha1).hexdigest(),
    }
    return requests.get(f"{base}{path}?{query}", headers=headers, timeout=TIMEOUT)


class Participant:
    """A browser: Prakerja's sign-in (phone, then the texted code) and its consent page."""

    def __init__(self, base: str):
        self.base, self.browser = base, requests.Session()
        self.card = requests.post(f"{base}/sandbox/personas/ok", timeout=TIMEOUT).json()

    def consent(self, url: str, button: str = "allow") -> str:
        """Through sign-in when needed; where the button sends the browser."""
        page = self.browser.get(url, timeout=TIMEOUT)
        if "/prakerja/masuk" in page.url:
            code_page = self.browser.get(
                self.base + self._submit(page, login=self.card["phone"]).headers["Location"],
                timeout=TIMEOUT,
            )
            signed_in = self._submit(code_page, code=self._texted_code())
            page = self.browser.get(self.base + signed_in.headers["Location"], timeout=TIMEOUT)
        assert page.url.startswith(f"{self.base}/consent-sso?") and "Izinkan" in page.text
        return self._submit(page, **{button: "1"}).headers["Location"]

    def _submit(self, page: requests.Response, **fields: str) -> requests.Response:
        token = CSRF.search(page.text).group(1)
        return self.browser.post(
            page.url, data={"csrf_token": token, **fields}, timeout=TIMEOUT, allow_redirects=False
        )

    def _texted_code(self) -> str:
        sms = requests.get(
            f"{self.base}/sandbox/sms", params={"phone": self.card["phone"]}, timeout=TIMEOUT
        )
        return sms.json()["messages"][0]["otp"]


def query_of(location: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def token(base: str, client_id: str, body: dict, path: str = "/api/v1/oauth/token"):
    return requests.post(
        f"{base}{path}", json=body, headers={"X-Client-Id": client_id}, timeout=TIMEOUT
    ).json()


def profile(base: str, client_id: str, access_token: str):
    headers = {"X-Client-Id": client_id, "Authorization": access_token}  # as the docs' example
    return requests.get(
        f"{base}/api/v1/resource/user_profile", headers=headers, timeout=TIMEOUT
    ).json()


def refused(body: dict, code: str) -> bool:
    assert body["success"] is False and body["code"] == code, body
    return True


def advance(base: str, **delta: int) -> None:
    answer = requests.post(f"{base}/sandbox/clock/advance", json=delta, timeout=TIMEOUT)
    assert answer.ok, answer.text


def code_for(base: str, client: dict, scope: str = FULL_SCOPE) -> tuple[str, Participant]:
    participant = Participant(base)
    back = participant.consent(consent_url(base, client, scope=scope))
    assert back.startswith(client["redirect_uri"]) and query_of(back)["state"] == "STATE-123456"
    return query_of(back)["code"], participant


# --- the way in ---------------------------------------------------------------------------------
def test_a_hand_built_url_gives_tokens_and_the_profile_by_scope(base, client):
    code, participant = code_for(base, client, scope="name email")
    answer = token(base, client["client_id"], {"code": code})
    assert answer["success"] is True and answer["errorCode"] == "0", answer
    tokens = answer["data"]
    assert tokens["token_type"] == "Bearer" and tokens["scope"] == "name email"
    assert isinstance(tokens["expires_in"], str) and int(tokens["expires_in"]) > time.time()
    user = profile(base, client["client_id"], tokens["access_token"])["data"]
    assert user["name"] and user["email"] == participant.card["email"]
    assert user["no_prakerja"] == "" and user["phone_number"] == ""  # outside the scope


def test_the_signed_authorize_gives_the_consent_page_and_the_full_profile(base, client):
    answer = signed_authorize(base, client).json()
    assert answer["success"] is True, answer
    participant = Participant(base)
    back = participant.consent(answer["data"]["redirect_url"])
    assert query_of(back)["state"] == "STATE-7"
    tokens = token(base, client["client_id"], {"code": query_of(back)["code"]})["data"]
    user = profile(base, client["client_id"], f"Bearer {tokens['access_token']}")["data"]
    assert user["no_prakerja"] == participant.card["card_number"]
    assert user["phone_number"] == participant.card["phone"]


def test_refresh_gives_a_new_token_once(base, client):
    code, _ = code_for(base, client)
    first = token(base, client["client_id"], {"code": code})["data"]
    renewed = token(
        base, client["client_id"], {"token": first["refresh_token"]}, "/api/v1/oauth/token/refresh"
    )["data"]
    assert renewed["access_token"] != first["access_token"]
    assert profile(base, client["client_id"], renewed["access_token"])["success"] is True
    again = token(
        base, client["client_id"], {"token": first["refresh_token"]}, "/api/v1/oauth/token/refresh"
    )
    assert refused(again, "ERROAUTH4030")  # a refresh token is used once (ours)


def test_a_refused_consent_goes_to_the_login_uri(base, client):
    back = Participant(base).consent(consent_url(base, client), button="deny")
    assert back.startswith(client["login_uri"]) and query_of(back)["state"] == "STATE-123456"


# --- refusals -----------------------------------------------------------------------------------
def test_an_unknown_client_is_refused(base, client):
    code, _ = code_for(base, client)
    assert refused(token(base, "no-such-client", {"code": code}), "ERROAUTH4029")
    assert refused(token(base, "", {"code": code}), "ERROAUTH4024")
    page = requests.get(
        consent_url(base, client, client_id="no-such-client"),
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    assert page.status_code == 400 and "Location" not in page.headers


def test_a_redirect_uri_not_registered_is_refused(base, client):
    elsewhere = "https://elsewhere.example/createtoken"
    page = requests.get(
        consent_url(base, client, redirect_uri=elsewhere), timeout=TIMEOUT, allow_redirects=False
    )
    assert page.status_code == 400 and "Location" not in page.headers
    assert refused(signed_authorize(base, client, redirect_uri=elsewhere).json(), "ERROAUTH4035")


def test_a_code_is_used_once(base, client):
    code, _ = code_for(base, client)
    assert token(base, client["client_id"], {"code": code})["success"] is True
    assert refused(token(base, client["client_id"], {"code": code}), "ERROAUTH4031")


def test_a_code_expires(base, client):
    code, _ = code_for(base, client)
    advance(base, minutes=6)
    assert refused(token(base, client["client_id"], {"code": code}), "ERROAUTH4031")


def test_an_access_token_expires_and_refresh_renews_it(base, client):
    code, _ = code_for(base, client)
    tokens = token(base, client["client_id"], {"code": code})["data"]
    advance(base, minutes=61)
    assert refused(profile(base, client["client_id"], tokens["access_token"]), "ERROAUTH4030")
    renewed = token(base, client["client_id"], {"token": tokens["refresh_token"]})["data"]
    assert profile(base, client["client_id"], renewed["access_token"])["success"] is True


def test_a_bad_signature_is_refused(base, client):
    answer = signed_authorize(base, client, sign_key="sk_not_the_key").json()
    assert refused(answer, "ERROAUTH4032")
