"""Production-like serving: ``DATABASE_URL=postgresql://... gunicorn`` from the project folder.

Several worker processes, each with its own connection pool; the first to start creates the
schema (under a lock) and loads the demo data into an empty database.
"""

import multiprocessing
import os

wsgi_app = "marketplace:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")


def _default_workers() -> int:
    """One worker per core on SQLite, two per core on PostgreSQL (``WEB_CONCURRENCY`` wins).

    SQLite has one write lock, and the workers are CPU-bound: with more processes than cores,
    the one holding the lock waits for a core while the others wait for the lock, and each
    request starts with caches another process has just used. Measured with the bench on 2
    cores (the signed API checkout, 11 alternating pairs of 15 s runs): 4 workers gave 81.8
    checkouts/s on average against 91.1 with 2 (fewer in 9 of the 11 pairs), and spent 19.4 ms
    of server CPU per checkout against 16.2 (docs/load-testing-history.md, with what was tried). On
    PostgreSQL a worker also waits for the database server, and 4 workers gave as much as 2."""
    cores = multiprocessing.cpu_count()
    return cores if _on_sqlite() else cores * 2


def _on_sqlite() -> bool:
    url = os.environ.get("DATABASE_URL", "")  # unset: a SQLite file (marketplace.config)
    return not url.startswith(("postgres://", "postgresql"))


workers = int(os.environ.get("WEB_CONCURRENCY") or _default_workers())
# Sync workers by default, chosen by measurement (python -m loadtests.bench, 2 cores): the signed
# API checkout on SQLite did 58 /s with 2 sync workers and 47 /s with 2 gthread workers of 4
# threads (p99 140 vs 370 ms). GUNICORN_WORKER_CLASS=gthread GUNICORN_THREADS=4 keeps
# connections alive, which matters behind a proxy that reuses them.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# The partner API's headers are client_code, signature, timestamp: gunicorn drops headers with
# an underscore unless told to keep them.
header_map = "dangerous"
timeout = 60
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # off by default: logging costs throughput


def on_starting(server):
    """Say so when SQLite gets more workers than cores: a load tester raising WEB_CONCURRENCY
    expects more throughput and gets less (measured: about a tenth less with 4 than with 2 on
    2 cores; docs/load-testing.md)."""
    cores = multiprocessing.cpu_count()
    if _on_sqlite() and server.cfg.workers > cores:
        server.log.warning(
            "%d workers on %d cores with SQLite: expect the checkout path to be slower than "
            "with %d, not faster (one write lock, more processes than cores); PostgreSQL "
            "(DATABASE_URL) scales with workers (docs/load-testing.md)",
            server.cfg.workers,
            cores,
            cores,
        )


def post_worker_init(worker):
    """Two changes to how a worker answers, each measured: it closes an answered connection at
    once (below), and sends a response's head with its body (``_send_head_with_first_body``).

    Closing: gunicorn 27 closes a sync worker's connection "gracefully": it shuts down its side,
    then reads until the client closes or a second passes, so that unread request bytes left in
    the socket can't make the kernel reset the connection and cut the answer short. The worker
    serves no one while it waits, and under load the client (Locust, on the same cores) closes
    late: measured with the bench (SQLite, 2 workers, three 15 s runs of each, alternated),
    83-116 signed checkouts/s with the wait, 108-121 without, better in every pair. Where
    nothing is left unread, as after every request this app reads whole, closing at once is
    safe (gunicorn before version 27 always did); otherwise gunicorn's graceful close runs."""
    from gunicorn import util
    from gunicorn.http import wsgi

    util.close_graceful = _close_promptly_when_drained(util.close_graceful)
    _send_head_with_first_body(wsgi.Response)


def _send_head_with_first_body(response_class):
    """Send a response's status line and headers in the same ``sendall`` as its first body bytes.

    gunicorn writes the head and the body apart: two TCP segments a response, and a client
    such as Locust (on the same cores) woken twice to read one answer. Every answer of this app
    is one body chunk, so one segment. Measured with the bench (SQLite, 2 workers, alternating
    runs, 20 s each): in the first pair the CPU per storefront checkout of Locust fell from 11.3
    to 10.1 ms (Tokopedia) and from 13.7 to 12.6 ms (Pintaria), the workers' from 53 to 51 and
    from 65 to 60 ms; the second pair ran while the machine slowed down and told nothing. Everything
    else is gunicorn's own ``write`` (length limits, bodies a HEAD must not carry, chunking);
    only its socket writes are held and then sent together."""
    plain_write = response_class.write

    def write(self, data):
        if self.headers_sent or self.chunked:
            return plain_write(self, data)
        sock, held = self.sock, _HeldWrites()
        self.sock = held
        try:
            return plain_write(self, data)
        finally:
            self.sock = sock
            if held.parts:
                sock.sendall(b"".join(held.parts))

    response_class.write = write


class _HeldWrites:
    """Stands in for the socket while a response's first write runs: keeps what is sent."""

    def __init__(self):
        self.parts = []

    def sendall(self, data):
        self.parts.append(bytes(data))


def _close_promptly_when_drained(graceful):
    import contextlib
    import socket

    def close(sock, *args, **kwargs):
        try:
            pending = sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            pending = None  # nothing unread: the client is waiting for our answer only
        except OSError:
            pending = b""  # already broken: nothing to protect
        if pending is None or pending == b"":
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_WR)
            sock.close()
            return
        graceful(sock, *args, **kwargs)

    return close
