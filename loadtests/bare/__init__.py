"""The bare ceiling: the checkout's SQL behind three plain Flask endpoints (``app.py``), served
by gunicorn gthread 2×8 (``run.py``) and driven by ``BareCheckoutUser`` (``locustfile.py``).

A yardstick, not a product: ``python -m loadtests.bench`` measures it in the same run as the
project's checkouts, so the ratio says how much of what these cores can do with the same
statements the project's own layers (ORM, validation, signing, templates) leave on the table.
"""
