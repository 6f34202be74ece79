"""Let ``flask run`` (Werkzeug's development server) pass headers whose names contain ``_``.

The public Prakerja API authenticates with the headers ``client_code``, ``signature`` and
``timestamp``. Werkzeug's server drops every header with an underscore, because a proxy that
filters ``client-code`` might let ``client_code`` through under the same WSGI name; on a local
simulator that no proxy fronts, dropping them would only make partner code fail for no reason.
(gunicorn needs ``header_map = "dangerous"`` for the same headers.)
"""

from __future__ import annotations

from werkzeug import serving


class PartnerHeadersRequestHandler(serving.WSGIRequestHandler):
    """Werkzeug's handler, plus the underscore headers it would have dropped."""

    def make_environ(self):
        environ = super().make_environ()
        for name, value in self.headers.items():
            if "_" in name:
                # A hyphenated header of the same WSGI name, if any, keeps precedence.
                environ.setdefault("HTTP_" + name.upper().replace("-", "_"), value.strip())
        return environ


def keep_underscore_headers() -> None:
    """Make the development server use the handler above (idempotent)."""
    serving.WSGIRequestHandler = PartnerHeadersRequestHandler
