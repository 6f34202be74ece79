"""The participant dashboard (``/prakerja/...``): sign in with a texted code, then card, saldo,
ledger, deadline, trainings and reviews, payout account, incentives and surveys.

Thin views: validate the form, call one service, commit once, redirect or render.
"""

from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from marketplace.clock import current_clock
from marketplace.db import begin_write, db
from marketplace.web import safe_next
from prakerja_gateway import domain
from prakerja_gateway.dashboard import forms
from prakerja_gateway.dashboard.overview import build_overview, countdown_text, ledger_label
from prakerja_gateway.models import Participant
from prakerja_gateway.sandbox.live_cards import DASHBOARD_FIXED_CODE
from prakerja_gateway.services import accounts, incentives
from prakerja_gateway.services.accounts import INTRO_VIDEOS, AccountRefusal

bp = Blueprint("dashboard", __name__, url_prefix="/prakerja", template_folder="templates")
SIGNED_IN = "prakerja_participant_id"  # session keys: the storefronts share the cookie
LOGIN_CODE = "prakerja_login_code"
LOGIN_PHONE = "prakerja_login_phone"  # sandbox only: whose simulated phone got the code
PAYOUT_CODE = "prakerja_payout_code"


@bp.context_processor
def _layout_forms() -> dict:
    return {"sign_out_form": forms.EmptyForm()}


@bp.app_template_global()
def prakerja_countdown(left):
    return countdown_text(left)


@bp.app_template_filter("ledger_label")
def _ledger_label(kind: str) -> str:
    return ledger_label(kind)


def participant_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        participant_id = session.get(SIGNED_IN)
        participant = db.session.get(Participant, participant_id) if participant_id else None
        if participant is None:
            return redirect(url_for("dashboard.sign_in", next=request.path))
        g.participant = participant
        return view(*args, **kwargs)

    return wrapped


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _now():
    return current_clock().now()


@bp.route("/masuk", methods=["GET", "POST"])
def sign_in():
    form = forms.LoginForm()
    if form.validate_on_submit():
        participant = accounts.find_participant(db.session, form.login.data)
        if participant is None:
            form.login.errors.append("Email atau nomor HP ini tidak terdaftar sebagai peserta.")
        else:
            begin_write(db.session)
            try:
                sent = accounts.send_code(db.session, _now(), _secret(), participant, "login")
            except AccountRefusal as refusal:  # too many codes this hour
                db.session.rollback()
                form.login.errors.append(refusal.message)
            else:
                db.session.commit()
                session[LOGIN_CODE] = sent.code_id
                if current_app.config["SANDBOX_ENABLED"]:  # the code page links the phone
                    session[LOGIN_PHONE] = participant.phone
                flash(f"Kode verifikasi dikirim lewat SMS ke {sent.phone_masked}.")
                return redirect(url_for("dashboard.sign_in_code", next=request.args.get("next")))
    status = 422 if form.errors else 200
    # Signed in already (a link led here): say so and lead to the dashboard; the form stays,
    # for a tester who holds several test cards.
    signed_in_id = session.get(SIGNED_IN)
    signed_in = db.session.get(Participant, signed_in_id) if signed_in_id else None
    return render_template("dashboard/sign_in.html", form=form, signed_in=signed_in), status


@bp.route("/masuk/kode", methods=["GET", "POST"])
def sign_in_code():
    code_id = session.get(LOGIN_CODE)
    if code_id is None:
        return redirect(url_for("dashboard.sign_in"))
    form = forms.CodeForm()
    if form.validate_on_submit():
        begin_write(db.session)
        try:
            record = accounts.check_code(
                db.session, _now(), _secret(), code_id, form.code.data, "login",
                sandbox=bool(current_app.config["SANDBOX_ENABLED"]),
            )  # fmt: skip
        except AccountRefusal as refusal:
            db.session.commit()  # a wrong attempt counts
            form.code.errors.append(refusal.message)
        else:
            db.session.commit()
            session.pop(LOGIN_CODE, None)
            session.pop(LOGIN_PHONE, None)
            session[SIGNED_IN] = record.participant_id
            target = safe_next(request.args.get("next"), prefix="/prakerja/")
            return redirect(target or url_for("dashboard.home"))
    status = 422 if form.errors else 200
    phone = session.get(LOGIN_PHONE) if current_app.config["SANDBOX_ENABLED"] else None
    return render_template(
        "dashboard/sign_in_code.html", form=form, phone=phone, fixed_code=DASHBOARD_FIXED_CODE
    ), status


@bp.post("/keluar")
def sign_out():
    if forms.EmptyForm().validate_on_submit():
        session.pop(SIGNED_IN, None)
    return redirect(url_for("dashboard.sign_in"))


@bp.get("/dashboard")
@participant_required
def home():
    return _render_home()


@bp.post("/video/<int:number>")
@participant_required
def watch_video(number: int):
    if forms.EmptyForm().validate_on_submit():
        begin_write(db.session)
        accounts.mark_video_watched(db.session, g.participant, number)
        db.session.commit()
    return redirect(url_for("dashboard.home", _anchor="kartu"))


@bp.route("/rekening", methods=["GET", "POST"])
@participant_required
def payout_account():
    form = forms.PayoutForm()
    if form.validate_on_submit():
        begin_write(db.session)
        try:
            sent = accounts.start_payout_link(
                db.session,
                _now(),
                _secret(),
                g.participant,
                form.provider.data,
                form.account_number.data,
            )
        except AccountRefusal as refusal:
            form.account_number.errors.append(refusal.message)
        else:
            db.session.commit()
            session[PAYOUT_CODE] = sent.code_id
            flash(f"Kode verifikasi dikirim lewat SMS ke {sent.phone_masked}.")
            return redirect(url_for("dashboard.payout_code"))
    status = 422 if form.errors else 200
    return render_template("dashboard/payout.html", form=form, participant=g.participant), status


@bp.route("/rekening/kode", methods=["GET", "POST"])
@participant_required
def payout_code():
    code_id = session.get(PAYOUT_CODE)
    if code_id is None:
        return redirect(url_for("dashboard.payout_account"))
    form = forms.CodeForm()
    if form.validate_on_submit():
        begin_write(db.session)
        try:
            provider = accounts.confirm_payout_link(
                db.session, _now(), _secret(), g.participant, code_id, form.code.data,
                sandbox=bool(current_app.config["SANDBOX_ENABLED"]),
            )  # fmt: skip
        except AccountRefusal as refusal:
            db.session.commit()
            form.code.errors.append(refusal.message)
        else:
            db.session.commit()
            session.pop(PAYOUT_CODE, None)
            flash(f"Akun {accounts.PROVIDER_NAMES[provider]} berhasil dihubungkan.")
            return redirect(url_for("dashboard.home", _anchor="rekening"))
    status = 422 if form.errors else 200
    return render_template("dashboard/payout_code.html", form=form), status


@bp.post("/pelatihan/<payment_ref>/ulasan")
@participant_required
def review(payment_ref: str):
    form = forms.ReviewForm()
    if form.validate_on_submit():
        begin_write(db.session)
        try:
            accounts.review_training(
                db.session,
                _now(),
                g.participant,
                payment_ref,
                int(form.rating.data),
                form.review.data,
            )
        except AccountRefusal as refusal:
            flash(refusal.message, "error")
        else:
            db.session.commit()
            flash("Terima kasih atas ulasan Anda. Insentif dijadwalkan sekitar 24 jam lagi.")
            return redirect(url_for("dashboard.home", _anchor="pelatihan"))
    return _home_with_errors(review_form=form, review_ref=payment_ref)


@bp.post("/survei")
@participant_required
def survey():
    form = forms.SurveyForm()
    if form.validate_on_submit():
        begin_write(db.session)
        scheduled = incentives.submit_survey(
            db.session,
            _now(),
            g.participant,
            employed=form.employed.data,
            usefulness=form.usefulness.data,
        )
        if scheduled is not None:
            db.session.commit()
            flash("Survei terkirim. Insentif survei dijadwalkan sekitar 24 jam lagi.")
            return redirect(url_for("dashboard.home", _anchor="insentif"))
        flash("Belum ada survei yang dibuka untuk Anda.", "error")
    return _home_with_errors(survey_form=form)


def _home_with_errors(**forms_with_errors):
    """The dashboard again with the submitted form's errors (422, nothing written)."""
    db.session.rollback()
    return _render_home(**forms_with_errors), 422


def _render_home(**forms_with_errors):
    """The dashboard; blank forms except those passed (a submitted form with its errors)."""
    overview = build_overview(db.session, g.participant, _now())
    context = {
        "video_form": forms.EmptyForm(),
        "review_form": forms.ReviewForm(formdata=None),
        "blank_review_form": forms.ReviewForm(formdata=None),
        "survey_form": forms.SurveyForm(formdata=None),
        **forms_with_errors,
    }
    return render_template(
        "dashboard/home.html",
        o=overview,
        videos=INTRO_VIDEOS,
        card_number=overview.card.number,
        card_masked=domain.mask_card_number(overview.card.number),
        **context,
    )
