"""The signed-cookie session of every party's pages, with its serializer built once.

Flask's ``SecureCookieSessionInterface`` builds a new ``URLSafeTimedSerializer`` to read the
cookie of every request, and another to write it: about 0.6 % of a storefront checkout's server
time (py-spy, the bench's Pintaria scenario). The serializer holds nothing but its keys and
settings, so one per key set does. A changed ``SECRET_KEY`` or ``SECRET_KEY_FALLBACKS`` (a key
rotated in a running app, as tests do) builds a new one.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._kept: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = self._kept  # one read: another thread may replace it meanwhile
        if kept is None or kept[0] != keys:
            kept = (keys, super().get_signing_serializer(app))
            self._kept = kept
        return kept[1]
