"""The browser side of "Login dengan Prakerja" (``oauth.prakerja.go.id`` in reality): the
consent page ``/consent-sso``, behind the dashboard's own sign-in (email or phone, then the
texted code).

A request that names an unknown client, or an address the client did not register, gets an
error page: the browser is never sent to an unregistered address.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from wtforms import SubmitField

from marketplace.clock import current_clock
from marketplace.db import begin_write, db
from prakerja_gateway.dashboard.forms import EmptyForm
from prakerja_gateway.dashboard.views import SIGNED_IN
from prakerja_gateway.models import Participant
from prakerja_gateway.sso import services

bp = Blueprint("sso", __name__, template_folder="templates")


@bp.context_processor
def _layout_forms() -> dict:
    return {"sign_out_form": EmptyForm()}  # the dashboard layout's "Keluar" button


class ConsentForm(FlaskForm):
    allow = SubmitField("Izinkan")
    deny = SubmitField("Tolak")


def _login_request() -> services.LoginRequest:
    return services.read_login_request(
        db.session,
        request.args,
        request.host,
        sandbox=bool(current_app.config["SANDBOX_ENABLED"]),
    )


@bp.route("/consent-sso", methods=["GET", "POST"])
def consent():
    try:
        login = _login_request()
    except services.LoginRefusal as refusal:
        return render_template("sso/refused.html", message=refusal.message), 400
    participant_id = session.get(SIGNED_IN)
    participant = db.session.get(Participant, participant_id) if participant_id else None
    if participant is None:
        # The dashboard's sign-in sends people back only under /prakerja/: a stop there leads
        # back here with the same query.
        back = url_for("sso.resume", **_passed_on())
        return redirect(url_for("dashboard.sign_in", next=back))
    refusal = services.participant_refusal(participant)
    form = ConsentForm()
    if refusal is None and form.validate_on_submit():
        if form.allow.data:
            return redirect(_allow(login, participant.id))
        return redirect(_deny(login))
    status = 403 if refusal else (422 if form.errors else 200)
    return render_template(
        "sso/consent.html",
        login=login,
        participant=participant,
        refusal=refusal,
        denied_url=_deny(login),
        scopes=[services.SCOPES[item][0] for item in login.scope],
        form=form,
    ), status


def _allow(login: services.LoginRequest, participant_id: int) -> str:
    begin_write(db.session)
    code = services.issue_code(db.session, current_clock().now(), login, participant_id)
    db.session.commit()
    return services.with_params(login.redirect_uri, code=code, state=login.state)


def _deny(login: services.LoginRequest) -> str:
    """Ours: the docs say only that a failure goes to ``login_uri``."""
    return services.with_params(login.login_uri, error="access_denied", state=login.state)


@bp.get("/prakerja/sso/lanjut")
def resume():
    """After signing in: back to the consent page with the login request's query."""
    return redirect(url_for("sso.consent", **_passed_on()))


def _passed_on() -> dict[str, str]:
    """The login request's own parameters only (never url_for's ``_external``, ``_scheme``)."""
    return {name: request.args[name] for name in services.PASSED_ON if name in request.args}
