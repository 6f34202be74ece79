"""The participant's "Scan Wajah" page at Prakerja: an institution sends the participant here
(from ``oauth/url-generate``), the face check is simulated with a button, and the participant is
sent back to the institution's ``redirect_uri`` with ``state``."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import Blueprint, abort, redirect, render_template, request
from flask_wtf import FlaskForm
from wtforms import SubmitField

from marketplace.catalog.services import find_course
from marketplace.clock import current_clock
from marketplace.db import begin_write, db
from prakerja_gateway.services import redemption

bp = Blueprint("face_check", __name__, url_prefix="/prakerja", template_folder="templates")


class FaceCheckForm(FlaskForm):
    scan = SubmitField("Mulai Scan Wajah")
    cancel = SubmitField("Batal")


@bp.route("/scan-wajah", methods=["GET", "POST"])
def scan_wajah():
    check = redemption.find_face_check(db.session, request.args.get("state", ""))
    if check is None:
        abort(404)
    now = current_clock().now()
    form = FaceCheckForm()
    refusal = redemption.face_check_refusal(check, now)
    if refusal or not form.validate_on_submit():
        return render_template(
            "gateway/scan_wajah.html",
            check=check,
            form=form,
            refusal=refusal,
            participant_name=_participant_name(check),
            course=find_course(db.session, check.redeem_code.course_code),
        ), (410 if refusal else 200)
    if check.attended_at is None:
        if form.cancel.data:
            return redirect(_back_to(check.redirect_uri, state=check.state, error="cancelled"))
        begin_write(db.session)
        redemption.record_face_check(db.session, now, check)
        db.session.commit()
    return redirect(_back_to(check.redirect_uri, state=check.state))


def _participant_name(check) -> str:
    payment = check.redeem_code.payment
    return payment.card.participant.name if payment else "Peserta Uji (sandbox)"


def _back_to(redirect_uri: str, **params: str) -> str:
    """The institution's address with our parameters added to its own query."""
    parts = urlsplit(redirect_uri)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))
