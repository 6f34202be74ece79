"""A storefront's voucher API for training institutions: check a voucher the storefront sold
and use it, once. Signed like the Prakerja API (HMAC-SHA1 over the compact body, headers
``client_code``, ``signature``, ``timestamp``), with the institution's own key at this platform.

``POST /<platform>/api/v1/voucher/status`` and ``POST /<platform>/api/v1/voucher/redeem``,
body ``{"voucher_code": "..."}``.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy import select, update

from marketplace.catalog.models import Course
from marketplace.clock import current_clock
from marketplace.db import begin_write, db
from marketplace.errors import (
    INVALID_JSON,
    INVALID_REQUEST,
    AppError,
    ErrorCatalogue,
    ErrorKind,
    success_envelope,
)
from marketplace.jsonforms import JsonForm, JsonString, MaxLength, Required, parse_json_object
from marketplace.signed import (
    UNKNOWN_CLIENT,
    SignedHeaderError,
    is_demo_key,
    read_signed_headers,
)
from platforms.core.models import ApiClient, Order
from platforms.core.spec import PlatformSpec
from prakerja_gateway.signing import candidate_bodies, signature_matches

TOLERANCE_SECONDS = 300
E = ErrorKind
VOUCHER_ERRORS = ErrorCatalogue(
    INVALID_JSON,
    INVALID_REQUEST,
    E("missing_auth_headers", 401, "Header client_code, signature, dan timestamp wajib dikirim."),
    E("invalid_signature", 401, "client_code atau signature tidak valid."),
    E("stale_timestamp", 401, "Timestamp kedaluwarsa atau tidak valid (toleransi 300 detik)."),
    E("voucher_not_found", 404, "Kode voucher tidak ditemukan di platform ini."),
    E("voucher_other_institution", 403, "Voucher ini untuk pelatihan lembaga lain."),
    E("voucher_used", 409, "Kode voucher sudah pernah ditukarkan."),
)


class VoucherForm(JsonForm):
    voucher_code = JsonString(validators=[Required(), MaxLength(40)])


def voucher_api(spec: PlatformSpec) -> Blueprint:
    bp = Blueprint(f"{spec.slug}_voucher_api", __name__, url_prefix=f"/{spec.slug}/api/v1/voucher")

    @bp.before_request
    def authenticate() -> None:
        begin_write(db.session)
        g.payload = parse_json_object(request.get_data())
        g.api_client = _verify(spec, g.payload)

    @bp.post("/status")
    def status():
        order = _own_voucher(spec, VoucherForm.load(g.payload).voucher_code.data)
        return jsonify(success_envelope(_voucher_data(spec, order)))

    @bp.post("/redeem")
    def redeem():
        order = _own_voucher(spec, VoucherForm.load(g.payload).voucher_code.data)
        used = db.session.execute(
            update(Order)
            .where(Order.id == order.id, Order.voucher_used_at.is_(None))
            .values(voucher_used_at=current_clock().now())
            .execution_options(synchronize_session=False)
        ).rowcount
        if not used:  # used before, or by a racing request a moment ago
            raise AppError(VOUCHER_ERRORS["voucher_used"], voucher_code=order.voucher_code)
        db.session.commit()
        db.session.refresh(order)
        return jsonify(success_envelope(_voucher_data(spec, order)))

    return bp


def _verify(spec: PlatformSpec, payload: Any) -> ApiClient:
    try:
        auth = read_signed_headers(request.headers, time.time(), TOLERANCE_SECONDS)
    except SignedHeaderError as wrong:
        # this API has no "unknown client" refusal of its own: a malformed client is a bad pair
        name = "invalid_signature" if wrong.reason == UNKNOWN_CLIENT else wrong.reason
        raise AppError(VOUCHER_ERRORS[name]) from None
    client_code, stamp = auth.client_code, auth.timestamp
    client = db.session.execute(
        select(ApiClient).where(
            ApiClient.platform == spec.slug, ApiClient.client_code == client_code
        )
    ).scalar()
    if client is None:
        raise AppError(VOUCHER_ERRORS["invalid_signature"])
    sign_key = _configured_key(spec, client_code) or client.sign_key
    if not current_app.config["SANDBOX_ENABLED"] and is_demo_key(sign_key):
        raise AppError(VOUCHER_ERRORS["invalid_signature"])  # demo keys are public
    bodies = candidate_bodies(payload, request.get_data())
    if not signature_matches(sign_key, client_code, stamp, "POST", request.path, bodies,
                             auth.signature):  # fmt: skip
        raise AppError(VOUCHER_ERRORS["invalid_signature"])
    return client


def _configured_key(spec: PlatformSpec, client_code: str) -> str | None:
    """``VOUCHER_API_KEYS[platform][client_code]``: the key given by configuration, which
    replaces the seeded demo key (required with the sandbox off)."""
    return ((current_app.config.get("VOUCHER_API_KEYS") or {}).get(spec.slug) or {}).get(
        client_code
    )


def _own_voucher(spec: PlatformSpec, voucher_code: str) -> Order:
    order = db.session.execute(
        select(Order).where(
            Order.platform == spec.slug,
            Order.voucher_code == voucher_code.strip().upper(),
            Order.status == "paid",
        )
    ).scalar()
    if order is None:
        raise AppError(VOUCHER_ERRORS["voucher_not_found"], voucher_code=voucher_code)
    if _institution_of(order) != g.api_client.institution_code:
        raise AppError(VOUCHER_ERRORS["voucher_other_institution"], voucher_code=voucher_code)
    return order


def _institution_of(order: Order) -> str | None:
    return db.session.execute(
        select(Course.institution_code).where(Course.course_code == order.course_code)
    ).scalar()


def _voucher_data(spec: PlatformSpec, order: Order) -> dict:
    return {
        "voucher_code": order.voucher_code,
        "platform": spec.slug,
        "course_code": order.course_code,
        "course_title": order.course_title,
        "buyer_name": order.buyer.name,
        "buyer_email": order.buyer.email,
        # The Kartu Prakerja holder as Prakerja names them (authorize's ``prakerja_name``): the
        # name a certificate carries; the account's name here may be anything the buyer typed.
        "participant_name": order.prakerja_name or order.buyer.name,
        "paid_at": order.paid_at.isoformat() if order.paid_at else None,
        "used_at": order.voucher_used_at.isoformat() if order.voucher_used_at else None,
    }


def openapi_paths(specs) -> dict[str, Any]:
    """The voucher API of every storefront, for the marketplace's OpenAPI document."""
    data = {
        "type": "object",
        "properties": {
            name: {"type": ["string", "null"] if name == "used_at" else "string"}
            for name in (
                "voucher_code",
                "platform",
                "course_code",
                "course_title",
                "buyer_name",
                "buyer_email",
                "participant_name",
                "paid_at",
                "used_at",
            )
        },
    }
    operations = {
        "status": ("Check a voucher", ("voucher_not_found", "voucher_other_institution")),
        "redeem": (
            "Use a voucher (once)",
            ("voucher_not_found", "voucher_other_institution", "voucher_used"),
        ),
    }
    return {
        f"/{spec.slug}/api/v1/voucher/{name}": {
            "post": _operation(spec.slug, name, summary, errors, data)
        }
        for spec in specs
        for name, (summary, errors) in operations.items()
    }


def _operation(slug: str, name: str, summary: str, errors: tuple[str, ...], data) -> dict:
    codes = ("invalid_json", "invalid_request", "missing_auth_headers", "invalid_signature",
             "stale_timestamp", *errors)  # fmt: skip
    by_status: dict[int, list[ErrorKind]] = {}
    for code in codes:
        by_status.setdefault(VOUCHER_ERRORS[code].status, []).append(VOUCHER_ERRORS[code])
    failures = {
        str(status): {
            "description": "; ".join(f"`{kind.code}`: {kind.message}" for kind in kinds),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Failure"}}},
        }
        for status, kinds in sorted(by_status.items())
    }
    success = {
        "type": "object",
        "properties": {"success": {"const": True}, "message": {"type": "string"}, "data": data},
        "required": ["success", "message", "data"],
    }
    return {
        "tags": ["Storefront voucher API"],
        "summary": summary,
        "operationId": f"{slug}_voucher_{name}",
        "security": [{"client_code": [], "signature": [], "timestamp": []}],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": VoucherForm.json_schema()}},
        },
        "responses": {
            "200": {
                "description": "Success envelope.",
                "content": {"application/json": {"schema": success}},
            },
            **failures,
        },
    }
