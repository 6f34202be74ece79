"""The error vocabulary shared by every API: a stable code for programs, Indonesian for people.

Each party declares its own catalogue of codes (``ErrorCatalogue``); raising ``AppError`` anywhere
under an API prefix answers the contract's failure envelope with the right status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from marketplace.db import db


@dataclass(frozen=True)
class ErrorKind:
    """One refusal. ``name`` is what our code raises and looks up; ``code`` is what goes on the
    wire (the real API's ``ERR…`` code where known, ours in the same style where not); a kind
    without its own ``code`` sends its name."""

    name: str
    status: int
    message: str
    code: str = ""
    real: bool = False  # the code (and message) is the public Prakerja API's own

    def __post_init__(self) -> None:
        if not self.code:
            object.__setattr__(self, "code", self.name)


class ErrorCatalogue:
    """A party's list of error codes; the OpenAPI document is built from it too."""

    def __init__(self, *kinds: ErrorKind):
        self._kinds = {kind.name: kind for kind in kinds}

    def __getitem__(self, name: str) -> ErrorKind:
        return self._kinds[name]

    def __iter__(self):
        return iter(self._kinds.values())


class AppError(Exception):
    """A refusal with a stable code, an HTTP status and a message for people (Indonesian)."""

    def __init__(self, kind: ErrorKind, message: str | None = None, **details: Any):
        super().__init__(kind.code)
        self.kind = kind
        self.name = kind.name
        self.code = kind.code
        self.status = kind.status
        self.message = message or kind.message
        self.details = details

    def envelope(self) -> dict[str, Any]:
        return failure_envelope(self.message, self.code, self.details)


def failure_envelope(message: str, code: str, details: dict | None = None) -> dict[str, Any]:
    """The real API's failure shape, keys in its order: ``code``, ``message``, ``success``.
    ``details`` (ours: which field, how many tries left, ...) is added only when there are any."""
    body: dict[str, Any] = {"code": code, "message": message, "success": False}
    if details:
        body["details"] = details
    return body


def success_envelope(data: dict[str, Any] | None, message: str = "OK") -> dict[str, Any]:
    """``{"success": true, "message", "data"}``; without ``data`` when there is none (void)."""
    body: dict[str, Any] = {"success": True, "message": message}
    if data is not None:
        body["data"] = data
    return body


def error_response(error: AppError) -> tuple[Response, int]:
    return jsonify(error.envelope()), error.status


HTML_ERRORS = {
    400: ("Permintaan tidak valid", "Periksa kembali isian Anda lalu coba lagi."),
    404: ("Halaman tidak ditemukan", "Alamat yang Anda buka tidak ada atau sudah dipindahkan."),
    405: ("Metode tidak diizinkan", "Halaman ini tidak menerima permintaan seperti itu."),
    413: ("Isian terlalu besar", "Kirim data yang lebih kecil."),
}


def _html_error(error: HTTPException):
    """People get Indonesian pages, not Werkzeug's English ones."""
    title, detail = HTML_ERRORS.get(error.code or 500, ("Terjadi kesalahan", error.description))
    return render_template("error.html", title=title, detail=detail, code=error.code), error.code


# Werkzeug's HTTP errors, in our vocabulary, for API clients that hit an unknown path or method.
# The real API's codes for these are not public: ours, in its ERR<DOMAIN><status><nn> style.
HTTP_ERROR_MESSAGES = {
    400: ("ERRGEN40000", "Permintaan tidak valid."),
    404: ("ERRGEN40401", "Alamat tidak ditemukan."),
    405: ("ERRGEN40501", "Metode HTTP tidak diizinkan untuk alamat ini."),
    413: ("ERRGEN41301", "Isi permintaan terlalu besar."),
    415: ("ERRGEN41501", "Isi permintaan harus berupa JSON."),
}
DATABASE_BUSY_CODE = "ERRGEN50301"
CONFLICT_CODE = "ERRGEN40901"
CONFLICT_MESSAGE = "Permintaan bentrok dengan permintaan lain; silakan coba lagi."
INTERNAL_ERROR_CODE = "ERRGEN50001"


def register_error_handlers(app: Flask) -> None:
    """Blueprint 404/405 handlers do not fire for unmatched URLs, so API paths are caught here."""

    def wants_json() -> bool:
        if request.path.startswith(tuple(app.config["HTML_PATH_PREFIXES"])):
            return False
        return request.path.startswith(tuple(app.config["JSON_PATH_PREFIXES"])) or request.is_json

    @app.errorhandler(AppError)
    def _app_error(error: AppError):
        return error_response(error)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if not wants_json():
            return _html_error(error)
        code, message = HTTP_ERROR_MESSAGES.get(
            error.code or 500,
            (f"ERRGEN{error.code or 500}00", error.description or "Kesalahan HTTP."),
        )
        return jsonify(failure_envelope(message, code)), error.code

    @app.errorhandler(OperationalError)
    def _database_busy(error: OperationalError):
        # SQLite's write lock held past the busy timeout (a long seeding run, say), or the
        # database gone: the request can be retried, so say so rather than crash.
        app.logger.warning("database unavailable on %s %s: %s", request.method, request.path, error)
        message = "Layanan sedang sibuk. Silakan coba lagi sebentar lagi."
        if not wants_json():
            return f"<h1>{message}</h1>", 503, {"Retry-After": "1"}
        return jsonify(failure_envelope(message, DATABASE_BUSY_CODE)), 503, {"Retry-After": "1"}

    @app.errorhandler(IntegrityError)
    def _conflict(error: IntegrityError):
        # A race lost at a unique constraint: nothing was written, and trying again is safe.
        # Logged without the statement or its parameters (they hold people's data).
        db.session.rollback()
        app.logger.warning(
            "conflict on %s %s: %s", request.method, request.path, type(error.orig).__name__
        )
        if not wants_json():
            title = "Permintaan bentrok"
            page = render_template("error.html", title=title, detail=CONFLICT_MESSAGE, code=409)
            return page, 409
        return jsonify(failure_envelope(CONFLICT_MESSAGE, CONFLICT_CODE)), 409

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        if not wants_json():
            return "<h1>Terjadi kesalahan pada server</h1>", 500
        message = "Terjadi kesalahan pada server. Silakan coba lagi."
        return jsonify(failure_envelope(message, INTERNAL_ERROR_CODE)), 500


INVALID_JSON = ErrorKind(
    "invalid_json", 400, "Isi permintaan harus berupa objek JSON yang valid.", "ERRGEN40001"
)
INVALID_REQUEST = ErrorKind("invalid_request", 400, "Data permintaan tidak valid.", "ERRGEN40002")
