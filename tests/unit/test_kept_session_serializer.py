"""The cookie session's serializer is built once per key set, and signs exactly as Flask's own."""

from __future__ import annotations

from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface

from marketplace.sessions import KeptSerializerSessionInterface


def app_with(secret: str) -> Flask:
    app = Flask(__name__)
    app.secret_key = secret
    app.session_interface = KeptSerializerSessionInterface()

    @app.post("/set/<value>")
    def put(value):
        session["value"] = value
        return "ok"

    @app.get("/get")
    def get():
        return session.get("value", "-")

    return app


def test_one_serializer_serves_every_request_with_the_same_keys():
    app = app_with("kunci-1")
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first


def test_a_rotated_key_builds_a_new_serializer_and_an_old_cookie_still_reads():
    app = app_with("kunci-lama")
    client = app.test_client()
    client.post("/set/halo")
    before = app.session_interface.get_signing_serializer(app)
    app.secret_key = "kunci-baru"
    app.config["SECRET_KEY_FALLBACKS"] = ["kunci-lama"]
    assert app.session_interface.get_signing_serializer(app) is not before
    assert client.get("/get").text == "halo"  # signed with the old key, a fallback now


def test_a_cookie_signed_with_another_key_is_not_read():
    client = app_with("kunci-1").test_client()
    client.post("/set/halo")
    other = app_with("kunci-2")
    cookie = client.get_cookie("session")
    stranger = other.test_client()
    stranger.set_cookie("session", cookie.value)
    assert stranger.get("/get").text == "-"


def test_the_cookie_is_the_one_flasks_own_interface_writes():
    app = app_with("kunci-1")
    payload = {"value": "halo"}
    signed = app.session_interface.get_signing_serializer(app).dumps(payload)
    flasks = SecureCookieSessionInterface()
    assert flasks.get_signing_serializer(app).loads(signed) == payload
