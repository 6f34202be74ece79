"""The in-process transport calls a WSGI app as a server would: method, path, query, headers,
body and host arrive as sent, and the answer comes back whole."""

from __future__ import annotations

import json

from flask import Flask, jsonify, request

from prakerja_gateway.client import WsgiTransport


class Closing:
    """A response body that records being closed (WSGI: the server must close it)."""

    closed = False

    def __init__(self, chunks):
        self.chunks = chunks

    def __iter__(self):
        return iter(self.chunks)

    def close(self):
        Closing.closed = True


def echo_app() -> Flask:
    app = Flask(__name__)

    @app.route("/echo/<path:rest>", methods=["GET", "POST"])
    def echo(rest):
        answer = jsonify(
            method=request.method,
            rest=rest,
            args=request.args.to_dict(),
            body=request.get_data(as_text=True),
            content_type=request.content_type,
            client_code=request.headers.get("client_code"),
            idempotency_key=request.headers.get("Idempotency-Key"),
            authorization=request.headers.get("Authorization"),
            host_url=request.host_url,
        )
        answer.headers["X-Request-Id"] = "abc"
        return answer

    @app.get("/chunked")
    def chunked():
        return app.response_class(Closing([b'{"success": ', b"true}"]), status=201)

    return app


def test_a_post_arrives_as_sent_and_its_answer_comes_back_whole():
    body = json.dumps({"otp": "123456"}).encode()
    headers = {
        "Content-Type": "application/json",
        "client_code": "tokopedia-sandbox",
        "Idempotency-Key": "INV-1",
        "Authorization": "Payment tok",
    }
    answer = WsgiTransport(echo_app()).post("/echo/payment/authorize", body, headers)
    assert answer.status == 200
    assert answer.headers["X-Request-Id"] == "abc"
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.body == {
        "method": "POST",
        "rest": "payment/authorize",
        "args": {},
        "body": '{"otp": "123456"}',
        "content_type": "application/json",
        "client_code": "tokopedia-sandbox",
        "idempotency_key": "INV-1",
        "authorization": "Payment tok",
        "host_url": "http://localhost/",
    }


def test_a_get_keeps_its_query_and_decodes_its_path():
    answer = WsgiTransport(echo_app()).get("/echo/kode%20A%2FB?code=x%20y&next=%2Fa", {})
    assert answer.status == 200
    assert answer.body["method"] == "GET"
    assert answer.body["rest"] == "kode A/B"
    assert answer.body["args"] == {"code": "x y", "next": "/a"}
    assert answer.body["body"] == ""


def test_inside_a_request_the_call_goes_to_the_host_that_request_came_in_on():
    app = echo_app()
    with app.test_request_context("/", base_url="https://pasar.example:8443/"):
        answer = WsgiTransport(app).get("/echo/x", {})
    assert answer.body["host_url"] == "https://pasar.example:8443/"


def test_the_body_is_read_whole_and_closed():
    Closing.closed = False
    answer = WsgiTransport(echo_app()).get("/chunked", {})
    assert answer.status == 201
    assert answer.body == {"success": True}
    assert Closing.closed
