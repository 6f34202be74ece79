"""Production-like serving: ``DATABASE_URL=postgresql://... gunicorn`` from the project folder.

Several worker processes, each with its own connection pool; the first to start creates the
schema (under a lock) and loads the demo data into an empty database.
"""

import multiprocessing
import os

wsgi_app = "marketplace:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
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
