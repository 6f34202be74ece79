"""Wiring the gateway into an app: its blueprints and its payment policy."""

from __future__ import annotations

from flask import Flask

from prakerja_gateway import api, docs, facecheck, institution_api
from prakerja_gateway.dashboard import views as dashboard_views
from prakerja_gateway.sandbox import test_codes as sandbox_test_codes
from prakerja_gateway.sandbox import views as sandbox_views
from prakerja_gateway.services.policy import PaymentPolicy
from prakerja_gateway.sso import api as sso_api
from prakerja_gateway.sso import views as sso_views


def register_gateway(app: Flask) -> None:
    app.extensions["prakerja_gateway.policy"] = PaymentPolicy.from_config(app.config)
    app.register_blueprint(api.bp)
    app.register_blueprint(api.ext_bp)
    app.register_blueprint(institution_api.bp)
    app.register_blueprint(facecheck.bp)
    app.register_blueprint(dashboard_views.bp)
    app.register_blueprint(sandbox_views.bp)
    app.register_blueprint(sandbox_test_codes.bp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(sso_api.bp)
    app.register_blueprint(sso_views.bp)
