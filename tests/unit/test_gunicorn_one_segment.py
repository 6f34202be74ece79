"""gunicorn.conf.py sends a response's head and body in one write, and leaves everything else
(what is sent, chunked bodies, HEAD) exactly as gunicorn does it."""

from __future__ import annotations

import runpy
from pathlib import Path

from gunicorn.config import Config
from gunicorn.http import wsgi

CONFIG = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))


class PatchedResponse(wsgi.Response):
    """gunicorn's Response, patched as a worker patches it (the real class stays untouched)."""


CONFIG["_send_head_with_first_body"](PatchedResponse)


class RecordingSocket:
    def __init__(self):
        self.writes: list[bytes] = []

    def sendall(self, data):
        self.writes.append(bytes(data))


class Request:
    version = (1, 1)
    scheme = "http"

    def __init__(self, method: str = "GET"):
        self.method = method

    def should_close(self) -> bool:
        return True


def answer(response_class, *, method="GET", body=(b"<p>Halo</p>",), headers=None):
    """What the socket was given, write by write. A length is set as Flask sets it."""
    sock = RecordingSocket()
    response = response_class(Request(method), sock, Config())
    length = str(sum(len(chunk) for chunk in body))
    default = [("Content-Type", "text/html"), ("Content-Length", length)]
    response.start_response("200 OK", default if headers is None else headers)
    for chunk in body:
        response.write(chunk)
    response.close()
    return sock.writes


def without_date(data: bytes) -> bytes:
    return b"\r\n".join(line for line in data.split(b"\r\n") if not line.startswith(b"Date:"))


def test_the_head_and_the_body_go_out_in_one_write():
    plain = answer(wsgi.Response)
    patched = answer(PatchedResponse)
    assert len(plain) == 2 and len(patched) == 1
    assert without_date(patched[0]) == without_date(b"".join(plain))
    assert patched[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert patched[0].endswith(b"\r\n\r\n<p>Halo</p>")


def test_later_chunks_are_written_as_they_come():
    writes = answer(PatchedResponse, body=(b"satu", b"dua"))
    assert len(writes) == 2 and writes[0].endswith(b"satu") and writes[1] == b"dua"


def test_a_length_limit_and_a_head_request_are_still_gunicorns():
    limited = answer(PatchedResponse, headers=[("Content-Length", "4")], body=(b"panjang",))
    assert len(limited) == 1 and limited[0].endswith(b"\r\n\r\npanj")
    head = answer(PatchedResponse, method="HEAD")
    assert len(head) == 1 and head[0].endswith(b"\r\n\r\n")


def test_an_empty_body_sends_the_head_once():
    writes = answer(PatchedResponse, body=())
    assert len(writes) == 1 and writes[0].endswith(b"\r\n\r\n")


def test_a_chunked_body_is_left_to_gunicorn():
    headers = [("Content-Type", "text/plain")]
    plain = answer(wsgi.Response, headers=headers, body=(b"satu", b"dua"))
    patched = answer(PatchedResponse, headers=headers, body=(b"satu", b"dua"))
    assert [without_date(w) for w in patched] == [without_date(w) for w in plain]
    assert b"Transfer-Encoding: chunked" in patched[0] and patched[-1] == b"0\r\n\r\n"
