"""SSO ("Login dengan Prakerja"), as ``shared/prakerja-api/sso.md`` describes it: a client
starts a login (a hand-built consent URL, or the signed ``oauth/authorize``), the participant
signs in at Prakerja and consents, the client exchanges the one-time ``code`` for tokens, reads
the profile within the granted scope and refreshes the token; and every refusal, in the SSO's
own envelope (HTTP 400, ``ERROAUTH…``)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from catalog_seed.demo import demo_sso_credentials
from marketplace.db import db
from prakerja_gateway.client import HttpTransport, SsoClient
from prakerja_gateway.models import Card
from prakerja_gateway.signing import sign_bytes
from tests.helpers import Marketplace
from tests.live import fresh_database_url, serve

HOST = "marketplace.test"  # not a loopback address: the registered paths must match
CLIENT_ID, SIGN_KEY = demo_sso_credentials("tokopedia")
REDIRECT_URI = f"http://{HOST}/tokopedia/sso/kembali?asal=prakerja"
LOGIN_URI = f"http://{HOST}/tokopedia/masuk"
TOKEN, REFRESH = "/api/v1/oauth/token", "/api/v1/oauth/token/refresh"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def market(make_app) -> Marketplace:
    return Marketplace(make_app(SERVER_NAME=HOST))


def consent_url(**overrides: str) -> str:
    """A hand-built consent URL (the docs' "Construct OAuth URL"), in the docs' order."""
    params = {
        "client_id": CLIENT_ID,
        "client_name": "Tokopedia",
        "login_uri": LOGIN_URI,
        "redirect_uri": REDIRECT_URI,
        "scope": "name email",
        "state": "STATE-123456",
        **overrides,
    }
    return "/consent-sso?" + urlencode(params)


def post_form(client, page: str, **fields: str):
    token = CSRF.search(client.get(page).get_data(as_text=True)).group(1)
    return client.post(page, data={"csrf_token": token, **fields})


def sign_in_at_consent(market: Marketplace, client, url: str, persona) -> None:
    """Signed out, the consent page sends the participant through the dashboard's sign-in
    (email or phone, then the texted code) and back to itself."""
    answer = client.get(url)
    assert answer.status_code == 302
    sign_in = answer.headers["Location"]
    assert sign_in.startswith("/prakerja/masuk?next=")
    sent = post_form(client, sign_in, login=persona.phone)
    assert sent.status_code == 302, sent.get_data(as_text=True)[:300]
    code_page = sent.headers["Location"]
    signed_in = post_form(client, code_page, code=market.latest_otp(persona.phone))
    assert signed_in.status_code == 302
    back = client.get(signed_in.headers["Location"])  # /prakerja/sso/lanjut → the consent page
    assert back.status_code == 302 and back.headers["Location"].startswith("/consent-sso?")


def consent(market: Marketplace, *, persona=None, button: str = "allow", **params: str):
    """Through sign-in and the consent page; the answer to the button."""
    persona = persona or market.mint("ok")
    client = market.app.test_client()
    url = consent_url(**params)
    sign_in_at_consent(market, client, url, persona)
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    return post_form(client, url, **{button: "1"}), page.get_data(as_text=True), persona


def code_from(location: str) -> str:
    return parse_qs(urlsplit(location).query)["code"][0]


def token_call(market: Marketplace, path: str, body: dict, client_id: str = CLIENT_ID):
    headers = {"X-Client-Id": client_id} if client_id else {}
    # The docs' curl sends the JSON with no Content-Type at all.
    answer = market.http.post(path, data=json.dumps(body), headers=headers)
    return answer.status_code, answer.get_json()


def profile(market: Marketplace, authorization: str, client_id: str = CLIENT_ID):
    headers = {"X-Client-Id": client_id, "Authorization": authorization}
    answer = market.http.get("/api/v1/resource/user_profile", headers=headers)
    return answer.status_code, answer.get_json()


def refused(answer: tuple[int, dict], code: str) -> bool:
    status, body = answer
    assert (status, body["code"], body["message"], body["success"]) == (
        400,
        code,
        "Unauthorized" if code != "ERROAUTH4034" else "Bad Request",
        False,
    ), body
    return True


def tokens_for(market: Marketplace, **params: str) -> tuple[dict, object]:
    allowed, _, persona = consent(market, **params)
    status, body = token_call(market, TOKEN, {"code": code_from(allowed.location)})
    assert status == 200, body
    return body["data"], persona


# --- the main path ------------------------------------------------------------------------------
def test_hand_built_consent_url_gives_a_code_tokens_and_the_profile_by_scope(market):
    allowed, page, persona = consent(market)
    assert "Tokopedia" in page and "nama" in page and "alamat email" in page
    assert "nomor telepon" not in page  # not asked for
    assert allowed.status_code == 302
    location = allowed.headers["Location"]
    assert location.startswith(f"http://{HOST}/tokopedia/sso/kembali?asal=prakerja&code=")
    assert parse_qs(urlsplit(location).query)["state"] == ["STATE-123456"]

    status, body = token_call(market, TOKEN, {"code": code_from(location)})
    assert status == 200
    assert list(body) == ["message", "success", "errorCode", "data"]
    assert (body["message"], body["success"], body["errorCode"]) == ("no error", True, "0")
    data = body["data"]
    assert list(data) == ["access_token", "expires_in", "refresh_token", "scope", "token_type"]
    assert (data["scope"], data["token_type"]) == ("name email", "Bearer")
    assert isinstance(data["expires_in"], str) and int(data["expires_in"]) > time.time() + 3000

    status, body = profile(market, data["access_token"])  # bare, as the docs' example
    assert status == 200, body
    user = body["data"]
    assert list(user) == ["dp_user_id", "email", "name", "no_prakerja", "phone_number", "user_id"]
    assert user["email"] == persona.email and user["name"]
    assert (user["no_prakerja"], user["phone_number"]) == ("", "")  # outside the scope
    assert user["user_id"]
    assert profile(market, f"Bearer {data['access_token']}")[1]["data"] == user


def test_full_scope_fills_every_field(market):
    data, persona = tokens_for(market, scope="name email prakerjaid notelp")
    user = profile(market, data["access_token"])[1]["data"]
    assert (user["no_prakerja"], user["phone_number"]) == (persona.card_number, persona.phone)


def test_refresh_rotates_the_tokens(market):
    data, _ = tokens_for(market)
    status, body = token_call(market, REFRESH, {"token": data["refresh_token"]})
    assert status == 200, body
    fresh = body["data"]
    assert fresh["access_token"] != data["access_token"] and fresh["scope"] == "name email"
    assert profile(market, fresh["access_token"])[0] == 200
    # The old refresh token was used up; the new one works on /oauth/token too (the docs' curl).
    old = token_call(market, REFRESH, {"token": data["refresh_token"]})
    assert refused(old, "ERROAUTH4030")
    status, body = token_call(market, TOKEN, {"token": fresh["refresh_token"]})
    assert status == 200 and body["data"]["refresh_token"] != fresh["refresh_token"]


def signed_authorize(market: Marketplace, params: dict, *, with_query: bool = True,
                     key: str = SIGN_KEY, stamp: int | None = None):  # fmt: skip
    path = "/api/v1/oauth/authorize"
    query = urlencode(params)
    timestamp = str(stamp if stamp is not None else int(time.time()))
    signed = f"{path}?{query}" if with_query else path
    signature = sign_bytes(key, f"{CLIENT_ID}{timestamp}GET{signed}", b"")
    headers = {"X-Client-Id": CLIENT_ID, "X-Signature": signature, "X-Timestamp": timestamp}
    answer = market.http.get(f"{path}?{query}", headers=headers)
    return answer.status_code, answer.get_json()


AUTHORIZE = {
    "state": "STATE-9",
    "scope": "name email prakerjaid notelp",
    "client_id": CLIENT_ID,
    "redirect_uri": REDIRECT_URI,
    "login_uri": LOGIN_URI,
}


@pytest.mark.parametrize("with_query", [True, False])
def test_signed_authorize_answers_the_consent_page(market, with_query):
    status, body = signed_authorize(market, AUTHORIZE, with_query=with_query)
    assert status == 200, body
    assert (body["message"], body["success"], body["errorCode"]) == ("no error", True, "0")
    url = body["data"]["redirect_url"]
    assert url.startswith(f"http://{HOST}/consent-sso?client_id={CLIENT_ID}&client_name=Tokopedia")
    assert "scope=name%20email%20prakerjaid%20notelp" in url  # encodeURIComponent, as the docs
    client = market.app.test_client()
    sign_in_at_consent(market, client, url, market.mint("ok"))
    page = client.get(url)
    assert page.status_code == 200 and "nomor Kartu Prakerja" in page.get_data(as_text=True)


# --- refusals at the consent page ---------------------------------------------------------------
@pytest.mark.parametrize(
    "params, says",
    [
        ({"client_id": "tidak-ada"}, "tidak terdaftar"),
        ({"redirect_uri": "https://penipu.example/tokopedia/sso/kembali"}, "redirect_uri"),
        ({"redirect_uri": f"http://{HOST}/bukalapak/sso/kembali"}, "redirect_uri"),
        ({"login_uri": "https://penipu.example/masuk"}, "login_uri"),
        ({"scope": "name saldo"}, "Scope tidak dikenal"),
        ({"state": ""}, "state"),
        ({"state": "x" * 501}, "terlalu panjang"),
        ({"state": "a\x00b"}, "tidak valid"),
        ({"client_id": "tokopedia-sso\x00"}, "tidak terdaftar"),
    ],
)
def test_a_bad_login_request_gets_an_error_page_and_no_redirect(market, params, says):
    answer = market.app.test_client().get(consent_url(**params))
    assert answer.status_code == 400 and "Location" not in answer.headers
    html = answer.get_data(as_text=True)
    assert 'data-testid="sso-error"' in html and says in html


def test_refused_consent_goes_back_to_the_login_uri(market):
    denied, _, _ = consent(market, button="deny")
    assert denied.status_code == 302
    location = denied.headers["Location"]
    assert location.startswith(LOGIN_URI + "?")
    assert parse_qs(urlsplit(location).query) == {
        "error": ["access_denied"],
        "state": ["STATE-123456"],
    }


def test_a_revoked_participant_is_refused_at_consent_and_by_the_api(market):
    data, persona = tokens_for(market)
    with market.app.app_context():
        card = db.session.execute(db.select(Card).filter_by(number=persona.card_number)).scalar()
        card.status = "revoked"
        db.session.commit()
    assert refused(profile(market, data["access_token"]), "ERROAUTH4030")
    refreshed = token_call(market, REFRESH, {"token": data["refresh_token"]})
    assert refused(refreshed, "ERROAUTH4030")
    revoked = market.mint("revoked")
    client = market.app.test_client()
    sign_in_at_consent(market, client, consent_url(), revoked)
    page = client.get(consent_url())
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "telah dicabut" in html and ">Izinkan<" not in html


def test_the_way_back_from_sign_in_carries_only_the_login_request(market):
    answer = market.app.test_client().get(
        "/prakerja/sso/lanjut?client_id=a&_external=1&_scheme=javascript&lain=x"
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/consent-sso?client_id=a"


def test_the_consent_form_needs_its_csrf_token(market):
    persona = market.mint("ok")
    client = market.app.test_client()
    sign_in_at_consent(market, client, consent_url(), persona)
    answer = client.post(consent_url(), data={"allow": "1"})
    assert answer.status_code == 422 and "Location" not in answer.headers


# --- refusals of the API ------------------------------------------------------------------------
def test_a_code_is_used_once(market):
    allowed, _, _ = consent(market)
    code = code_from(allowed.headers["Location"])
    assert token_call(market, TOKEN, {"code": code})[0] == 200
    assert refused(token_call(market, TOKEN, {"code": code}), "ERROAUTH4031")


def test_a_code_expires_after_five_minutes(market):
    allowed, _, _ = consent(market)
    market.advance(minutes=6)
    answer = token_call(market, TOKEN, {"code": code_from(allowed.location)})
    assert refused(answer, "ERROAUTH4031")


def test_a_code_works_only_for_its_own_client(market):
    allowed, _, _ = consent(market)
    other, _ = demo_sso_credentials("bukalapak")
    answer = token_call(market, TOKEN, {"code": code_from(allowed.location)}, other)
    assert refused(answer, "ERROAUTH4031")
    assert refused(token_call(market, TOKEN, {"code": "tidak-ada"}), "ERROAUTH4031")


def test_the_access_token_expires_after_an_hour_and_the_refresh_token_renews_it(market):
    data, _ = tokens_for(market)
    market.advance(minutes=61)
    assert refused(profile(market, data["access_token"]), "ERROAUTH4030")
    status, body = token_call(market, REFRESH, {"token": data["refresh_token"]})
    assert status == 200
    assert profile(market, body["data"]["access_token"])[0] == 200
    assert refused(profile(market, "Bearer tidak-ada"), "ERROAUTH4030")


def test_client_id_missing_or_unknown(market):
    assert refused(token_call(market, TOKEN, {"code": "x"}, ""), "ERROAUTH4024")
    assert refused(token_call(market, TOKEN, {"code": "x"}, "tak-dikenal"),
                   "ERROAUTH4029")  # fmt: skip
    assert refused(profile(market, "x", client_id="tak-dikenal"), "ERROAUTH4029")
    answer = market.http.get("/api/v1/resource/user_profile", headers={"Authorization": "x"})
    assert refused((answer.status_code, answer.get_json()), "ERROAUTH4024")
    bad_body = market.http.post(TOKEN, data=b"[", headers={"X-Client-Id": CLIENT_ID})
    assert refused((bad_body.status_code, bad_body.get_json()), "ERROAUTH4034")


def test_authorize_refuses_a_bad_signature_a_stale_timestamp_and_unregistered_addresses(market):
    assert refused(signed_authorize(market, AUTHORIZE, key="kunci-salah"), "ERROAUTH4032")
    stale = int(time.time()) - 3600
    assert refused(signed_authorize(market, AUTHORIZE, stamp=stale), "ERROAUTH4033")
    elsewhere = {**AUTHORIZE, "redirect_uri": "https://penipu.example/kembali"}
    assert refused(signed_authorize(market, elsewhere), "ERROAUTH4035")
    answer = market.http.get("/api/v1/oauth/authorize", headers={"X-Client-Id": CLIENT_ID})
    assert refused((answer.status_code, answer.get_json()), "ERROAUTH4032")


def test_the_sandbox_lists_the_sso_clients(market):
    partners = market.http.get("/sandbox/partners").get_json()["partners"]
    # As the API contract has them: entries of kind "sso" among the partners.
    clients = {p["client_id"]: p for p in partners if p["kind"] == "sso"}
    assert {"tokopedia-sso", "bukalapak-sso", "pintaria-sso", "lpdigi-sso", "prakerjaoauth"} <= set(
        clients
    )
    tokopedia = clients[CLIENT_ID]
    assert tokopedia["sign_key"] == SIGN_KEY and tokopedia["party"] == "dp"
    assert set(tokopedia) >= {"client_id", "client_name", "redirect_uris", "login_uris"}
    assert tokopedia["redirect_uris"] == ["/tokopedia/sso/kembali"]
    assert tokopedia["login_uris"] == ["/tokopedia/masuk"]
    assert tokopedia["consent_url"] == "/consent-sso"
    assert clients["lpdigi-sso"]["redirect_uris"] == ["/lembaga/digital-nusantara/sso/kembali"]


# --- over real HTTP -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sso-live")
    with serve(fresh_database_url(folder, "sso.sqlite3"), folder) as base_url:
        yield base_url


def test_the_whole_login_over_http(live_server):
    base = live_server
    card = requests.post(f"{base}/sandbox/personas/ok", timeout=10).json()
    params = {**AUTHORIZE, "redirect_uri": f"{base}/tokopedia/sso/kembali",
              "login_uri": f"{base}/tokopedia/masuk"}  # fmt: skip
    path, stamp = "/api/v1/oauth/authorize", str(int(time.time()))
    query = urlencode(params)
    signature = sign_bytes(SIGN_KEY, f"{CLIENT_ID}{stamp}GET{path}?{query}", b"")
    headers = {"X-Client-Id": CLIENT_ID, "X-Signature": signature, "X-Timestamp": stamp}
    url = requests.get(f"{base}{path}?{query}", headers=headers, timeout=10).json()["data"][
        "redirect_url"
    ]
    browser = requests.Session()

    def submit(page: requests.Response, **fields: str) -> requests.Response:
        token = CSRF.search(page.text).group(1)
        return browser.post(page.url, data={"csrf_token": token, **fields}, timeout=10,
                            allow_redirects=False)  # fmt: skip

    sign_in = browser.get(url, timeout=10)  # redirected to the dashboard's sign-in
    assert "/prakerja/masuk" in sign_in.url
    code_page = browser.get(base + submit(sign_in, login=card["phone"]).headers["Location"])
    sms = requests.get(f"{base}/sandbox/sms", params={"phone": card["phone"]}, timeout=10)
    signed_in = submit(code_page, code=sms.json()["messages"][0]["otp"])
    page = browser.get(base + signed_in.headers["Location"], timeout=10)  # back to consent
    assert page.url.startswith(f"{base}/consent-sso?") and "Izinkan" in page.text
    allowed = submit(page, allow="1")
    location = allowed.headers["Location"]
    assert location.startswith(f"{base}/tokopedia/sso/kembali?code=")
    assert parse_qs(urlsplit(location).query)["state"] == ["STATE-9"]
    tokens = requests.post(
        f"{base}{TOKEN}",
        data=f'{{"code": "{code_from(location)}"}}',
        headers={"X-Client-Id": CLIENT_ID},
        timeout=10,
    ).json()["data"]
    user = requests.get(
        f"{base}/api/v1/resource/user_profile",
        headers={"X-Client-Id": CLIENT_ID, "Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    ).json()["data"]
    assert (user["no_prakerja"], user["phone_number"]) == (card["card_number"], card["phone"])


def test_the_example_client_in_the_docs_runs_against_the_server(live_server, tmp_path):
    docs = (Path(__file__).resolve().parents[2] / "docs" / "sso.md").read_text()
    example = docs.split("## Example client (Python)")[1].split("```python\n")[1].split("```")[0]
    script = tmp_path / "sso_login.py"
    script.write_text(example)
    result = subprocess.run(
        [sys.executable, str(script), live_server], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "refreshed: True Bearer" in result.stdout and "'no_prakerja': '52" in result.stdout


def test_the_sites_client_works_over_http(live_server):
    """The client the institutions and Pintaria use (``SsoClient``), over ``HttpTransport`` as
    when ``GATEWAY_URL`` points at a gateway in another process."""
    base = live_server
    card = requests.post(f"{base}/sandbox/personas/ok", timeout=10).json()
    client = SsoClient(CLIENT_ID, "Tokopedia", HttpTransport(base), consent_base=base)
    url = client.consent_url(
        redirect_uri=f"{base}/tokopedia/sso/kembali", login_uri=f"{base}/tokopedia/masuk",
        state="STATE-HTTP",
    )  # fmt: skip
    assert url.startswith(f"{base}/consent-sso?client_id={CLIENT_ID}&client_name=Tokopedia&")
    browser = requests.Session()

    def submit(page: requests.Response, **fields: str) -> requests.Response:
        token = CSRF.search(page.text).group(1)
        return browser.post(page.url, data={"csrf_token": token, **fields}, timeout=10,
                            allow_redirects=False)  # fmt: skip

    sign_in = browser.get(url, timeout=10)
    code_page = browser.get(base + submit(sign_in, login=card["phone"]).headers["Location"])
    sms = requests.get(f"{base}/sandbox/sms", params={"phone": card["phone"]}, timeout=10)
    signed_in = submit(code_page, code=sms.json()["messages"][0]["otp"])
    page = browser.get(base + signed_in.headers["Location"], timeout=10)
    code = code_from(submit(page, allow="1").headers["Location"])
    tokens = client.exchange_code(code)
    assert tokens.ok, tokens.body
    user = client.profile(tokens.data["access_token"])
    assert user.ok and user.data["no_prakerja"] == card["card_number"]
    assert client.exchange_code(code).error_code == "ERROAUTH4031"  # once only
