"""Pintaria: register at /kartuprakerja → sign in on a separate SSO page → menu "Kartu Prakerja"
→ course → "Ikuti Kursus" → phone number → continue payment → Prakerja ID and OTP → "Bayar" →
"Kelas Saya" → short survey → "Masuk Kelas"."""

from __future__ import annotations

from flask import abort, redirect

from marketplace.catalog.models import Course
from marketplace.db import begin_write, db
from platforms.core import forms, services
from platforms.core.flow import CheckoutFlow, buyer_required
from platforms.core.services import StorefrontError
from platforms.core.spec import Look, PlatformSpec


class PintariaFlow(CheckoutFlow):
    sign_in_after_register = False  # the account is made here, signing in is on the SSO page

    def extra_rules(self):
        return [
            ("/kartuprakerja", "prakerja_menu", self.prakerja_menu, ["GET"]),
            ("/kartuprakerja/daftar", "prakerja_register", self.register, ["GET", "POST"]),
            ("/sso/masuk", "sso_login", self.login, ["GET", "POST"]),
            ("/bayar/<order_code>/telepon", "phone", self.phone, ["GET", "POST"]),
            ("/kelas-saya", "classes", self.history, ["GET"]),
            ("/kelas/<order_code>/survei", "survey", self.survey, ["GET", "POST"]),
            ("/kelas/<order_code>", "classroom", self.classroom, ["GET", "POST"]),
        ]

    def login_endpoint(self) -> str:
        return "sso_login"

    def next_after_register(self) -> str:
        return self.url("sso_login", next=self.url("prakerja_menu"))

    def prakerja_menu(self):
        query = self.listed_courses().order_by(Course.title)
        courses = db.session.execute(query).scalars().all()
        return self.render("menu.html", courses=courses)

    def next_after_order(self, order) -> str:
        return self.url("phone", order_code=order.code)

    @buyer_required
    def phone(self, order_code: str):
        order = self.own_order(order_code)
        form = forms.PhoneConfirmForm(data={"phone": self.buyer().phone})
        if not form.validate_on_submit():
            return self.render(
                "phone.html", 422 if form.is_submitted() else 200, order=order, form=form
            )
        return redirect(self.url("card", order_code=order.code))

    def next_after_paid(self, order) -> str:
        return self.url("classes")

    @buyer_required
    def survey(self, order_code: str):
        order = self.own_order(order_code)
        if order.status != "paid":
            abort(404)
        form = forms.SurveyForm()
        if not form.validate_on_submit():
            return self.render(
                "survey.html", 422 if form.is_submitted() else 200, order=order, form=form
            )
        begin_write(db.session)
        order = self.own_order(order_code)
        services.save_survey(
            order, {"motivation": form.motivation.data, "expectation": form.expectation.data}
        )
        db.session.commit()
        return redirect(self.url("classroom", order_code=order.code))

    @buyer_required
    def classroom(self, order_code: str):
        order = self.own_order(order_code)
        if order.survey is None:
            return redirect(self.url("survey", order_code=order.code))
        form = forms.EmptyForm()
        if form.validate_on_submit():
            begin_write(db.session)
            order = self.own_order(order_code)
            try:
                services.enter_class(self.now(), order)
            except StorefrontError:
                abort(404)
            db.session.commit()
        return self.render("classroom.html", order=order, form=form)


SPEC = PlatformSpec(
    slug="pintaria",
    name="Pintaria",
    tagline="Kelas online bersertifikat untuk pemegang Kartu Prakerja",
    look=Look(primary="#1e3a8a", accent="#f59e0b", background="#f4f7fb", radius="10px"),
    flow=PintariaFlow,
    voucher_prefix="PNT",
    copy={
        "buy": "Ikuti Kursus",
        "history": "Kelas Saya",
        "pay": "Bayar",
        "card_label": "ID Prakerja (nomor Kartu Prakerja)",
        "card_title": "Bayar dengan ID Prakerja dan OTP",
    },
)
