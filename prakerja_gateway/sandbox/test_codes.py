"""``GET /sandbox/test-codes``: an institution's redeem codes for the documented positive test
cases (TC1-001-200, TC1-999-200, TC2-001-200, TC2-999-200), made on first request, which
``redeem-code/reset`` resets; and its registered Scan Wajah callbacks. Switched off or put
behind a token with the rest of the sandbox."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from marketplace.clock import current_clock
from marketplace.db import begin_write, db
from marketplace.errors import INVALID_REQUEST, AppError, ErrorKind
from marketplace.forms import INVALID_TEXT, is_storable_text
from prakerja_gateway.models import Partner
from prakerja_gateway.sandbox import views as sandbox_views
from prakerja_gateway.services import redemption, sandbox_codes

bp = Blueprint("sandbox_test_codes", __name__, url_prefix="/sandbox")
bp.before_request(sandbox_views.guard)
UNKNOWN_INSTITUTION = ErrorKind(
    "unknown_institution", 404, "client_code lembaga pelatihan tidak dikenal.", "ERRSBX40403"
)


@bp.get("/test-codes")
def test_codes():
    client_code = request.args.get("client_code", "").strip()
    if not client_code:
        raise AppError(INVALID_REQUEST, fields={"client_code": ["Wajib diisi."]})
    if not is_storable_text(client_code):  # NUL: PostgreSQL would fail on it mid-query
        raise AppError(INVALID_REQUEST, fields={"client_code": [INVALID_TEXT]})
    begin_write(db.session)
    partner = db.session.execute(
        select(Partner).where(Partner.client_code == client_code, Partner.kind == "lp")
    ).scalar()
    if partner is None:
        raise AppError(UNKNOWN_INSTITUTION, client_code=client_code)
    codes = sandbox_codes.list_codes(db.session, current_clock().now(), partner)
    body = {
        "client_code": partner.client_code,
        "institution": partner.name,
        "redirect_uris": redemption.redirect_uris(db.session, partner),
        "test_codes": codes,
    }
    db.session.commit()
    return jsonify(body)
