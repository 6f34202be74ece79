"""gunicorn.conf.py closes an answered connection at once when nothing is left unread, and
leaves any other to gunicorn's graceful close (which protects the answer from a reset)."""

from __future__ import annotations

import runpy
import socket
from pathlib import Path

CONFIG = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))


def closer():
    graceful_calls = []
    wrap = CONFIG["_close_promptly_when_drained"]
    close = wrap(lambda sock, *args, **kwargs: graceful_calls.append(sock))
    return close, graceful_calls


def test_a_drained_connection_is_closed_at_once_and_the_client_sees_the_end():
    server, client = socket.socketpair()
    close, graceful_calls = closer()
    server.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
    close(server)
    assert graceful_calls == [] and server.fileno() == -1
    assert client.recv(100).startswith(b"HTTP/1.1 200") and client.recv(100) == b""
    client.close()


def test_unread_request_bytes_leave_the_close_to_gunicorn():
    server, client = socket.socketpair()
    client.sendall(b"unread body")
    close, graceful_calls = closer()
    close(server)
    assert graceful_calls == [server]
    server.close()
    client.close()


def test_a_client_that_already_hung_up_is_closed_at_once():
    server, client = socket.socketpair()
    client.close()
    close, graceful_calls = closer()
    close(server)
    assert graceful_calls == [] and server.fileno() == -1
