"""Pintaria: register at /kartuprakerja → sign in on a separate SSO page → menu "Kartu Prakerja"
→ course → "Ikuti Kursus" → phone number → continue payment → Prakerja ID and OTP → "Bayar" →
"Kelas Saya" → short survey → "Masuk Kelas"."""

from __future__ import annotations

from flask import abort, redirect, request, session

from marketplace.catalog.models import Course
from marketplace.db import begin_write, db, end_transaction
from marketplace.web import safe_next
from platforms.core import forms, gateway, listing, payment, services
from platforms.core.flow import CheckoutFlow, add_error, buyer_required
from platforms.core.models import Order
from platforms.core.services import StorefrontError
from platforms.core.spec import Look, PlatformSpec
from prakerja_gateway.client import SSO_CANCELLED, SsoLogin

STATED_PHONE = "pintaria:nomor-hp"  # session: [order code, the number the buyer confirmed]
PROFILE_INCOMPLETE = (
    "Prakerja tidak memberikan email dan nomor HP Anda, jadi akun Pintaria tidak dapat dibuat. "
    "Izinkan aksesnya saat masuk dengan Prakerja, atau daftar dengan email dan kata sandi."
)


def fits_mask(phone: str, masked: str) -> bool:
    """Whether ``phone`` is the number Prakerja shows masked (``0813*****670``)."""
    return len(phone) == len(masked) and all(
        m in ("*", p) for p, m in zip(phone, masked, strict=True)
    )


class PintariaFlow(CheckoutFlow):
    sign_in_after_register = False  # the account is made here, signing in is on the SSO page

    def extra_rules(self):
        return [
            ("/kartuprakerja", "prakerja_menu", self.prakerja_menu, ["GET"]),
            ("/kartuprakerja/daftar", "prakerja_register", self.register, ["GET", "POST"]),
            ("/sso/masuk", "sso_login", self.login, ["GET", "POST"]),
            # "Masuk dengan Prakerja" beside Pintaria's own account: Prakerja's SSO.
            ("/sso/prakerja", "prakerja_sso_start", self.prakerja_sso_start, ["POST"]),
            ("/sso/kembali", "prakerja_sso_back", self.prakerja_sso_back, ["GET"]),
            ("/bayar/<order_code>/telepon", "phone", self.phone, ["GET", "POST"]),
            ("/kelas-saya", "classes", self.history, ["GET"]),
            ("/kelas/<order_code>/survei", "survey", self.survey, ["GET", "POST"]),
            ("/kelas/<order_code>", "classroom", self.classroom, ["GET", "POST"]),
        ]

    def login_endpoint(self) -> str:
        return "sso_login"

    def render(self, name: str, status: int = 200, **context):
        # The sign-in page says so when Prakerja's consent was refused (its login_uri).
        context.setdefault("sso_cancelled", SSO_CANCELLED)
        context.setdefault("sso_message", None)
        return super().render(name, status, **context)

    # --- "Masuk dengan Prakerja" --------------------------------------------------------------
    def _prakerja_login(self) -> SsoLogin:
        client = gateway.sso_client_for(self.spec.slug, self.spec.name)
        return SsoLogin(client, session, "pintaria:sso")

    def prakerja_sso_start(self):
        if not forms.EmptyForm().validate_on_submit():
            return redirect(self.url("sso_login"))
        return redirect(
            self._prakerja_login().begin(
                redirect_uri=self.url("prakerja_sso_back", _external=True),
                login_uri=self.url("login", _external=True),
                next_page=request.args.get("next") or "",
            )
        )

    def prakerja_sso_back(self):
        """Back from Prakerja: the Pintaria account with the participant's email or phone
        signed in (made on first use)."""
        gateway.outside_transaction()
        profile, next_page, refusal = self._prakerja_login().finish(request.args)
        if profile is not None and not (profile.get("email") and profile.get("phone_number")):
            refusal = PROFILE_INCOMPLETE
        if refusal:
            form = forms.LoginForm()
            return self.render("login.html", 400, form=form, sso_message=refusal)
        begin_write(db.session)
        buyer = services.buyer_from_prakerja(
            db.session, self.now(), self.spec, name=profile.get("name", ""),
            email=profile["email"], phone=profile["phone_number"],
        )  # fmt: skip
        db.session.commit()
        self.sign_in(buyer)
        back = safe_next(next_page, prefix=f"/{self.spec.slug}/")
        return redirect(back or self.url("prakerja_menu"))

    def next_after_register(self) -> str:
        return self.url("sso_login", next=self.url("prakerja_menu"))

    def prakerja_menu(self):
        key = (self.spec.slug, "menu")
        return self.render("menu.html", course_grid=listing.kept(key, self._menu_grid))

    def _menu_grid(self):
        query = self.listed_courses().order_by(Course.title)
        return listing.grid(self, db.session.execute(query).scalars())

    def next_after_order(self, order) -> str:
        return self.url("phone", order_code=order.code)

    # --- "Nomor HP terdaftar di Prakerja": checked against the card being paid ------------------
    def stated_phone(self, order: Order) -> str | None:
        code, phone = session.get(STATED_PHONE) or (None, None)
        return phone if code == order.code else None

    def phone_mismatch(self, order: Order, phone: str | None) -> str | None:
        """Why ``phone`` is not the card's registered number (Prakerja told its mask at
        send-otp), or None when it is, or when no card is being paid yet."""
        if order.status != "awaiting_otp" or not order.phone_masked or not phone:
            return None
        if fits_mask(phone, order.phone_masked):
            return None
        return (
            f"Nomor HP {phone} tidak sama dengan nomor yang terdaftar di Prakerja untuk kartu "
            f"{order.card_number_masked} ({order.phone_masked}). Masukkan nomor HP yang "
            "terdaftar di Prakerja, atau bayar dengan Kartu Prakerja Anda sendiri."
        )

    @buyer_required
    def phone(self, order_code: str):
        order = self.own_order(order_code)
        if (done := self.settled(order)) is not None:
            return done
        stated = self.stated_phone(order)
        form = forms.PhoneConfirmForm(data={"phone": stated or self.buyer().phone})
        if form.validate_on_submit():
            stated = form.phone.data
            session[STATED_PHONE] = [order.code, stated]
            if (mismatch := self.phone_mismatch(order, stated)) is None:
                step = "otp" if order.status == "awaiting_otp" else "card"
                return redirect(self.url(step, order_code=order.code))
            add_error(form.phone, mismatch)
        elif not form.is_submitted() and (mismatch := self.phone_mismatch(order, stated)):
            add_error(form.phone, mismatch)  # back from the card step: the numbers differ
        status = 422 if form.errors else 200
        return self.render("phone.html", status, order=order, form=form)

    def submit_card(self, order, form):
        if self.stated_phone(order) is None:  # the number comes first on Pintaria
            return redirect(self.url("phone", order_code=order.code))
        return super().submit_card(order, form)

    def otp_gate(self, order):
        """The OTP is typed only once the confirmed number is the card's registered one."""
        if self.stated_phone(order) is None or self.phone_mismatch(order, self.stated_phone(order)):
            return redirect(self.url("phone", order_code=order.code))
        return None

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
        order = payment.fresh_order(db.session, order)
        services.save_survey(
            order, {"motivation": form.motivation.data, "expectation": form.expectation.data}
        )
        next_step = self.url("classroom", order_code=order.code)  # before the commit expires it
        db.session.commit()
        return redirect(next_step)

    @buyer_required
    def classroom(self, order_code: str):
        order = self.own_order(order_code)
        if order.status != "paid":
            abort(404)
        if order.survey is None:
            return redirect(self.url("survey", order_code=order.code))
        form, not_started = forms.EmptyForm(), False
        if form.validate_on_submit():
            order = payment.fresh_order(db.session, order)
            try:
                services.enter_class(self.now(), order)
            except StorefrontError:
                not_started = True  # the page says when it starts and what to do until then
            end_transaction(db.session, keep_loaded=True)  # the page shows what was written
        return self.render("classroom.html", order=order, form=form, not_started=not_started)

    def class_started(self, order) -> bool:
        return self.now() >= order.schedule_starts_at


SPEC = PlatformSpec(
    slug="pintaria",
    name="Pintaria",
    tagline="Kelas online bersertifikat untuk pemegang Kartu Prakerja",
    look=Look(primary="#1e3a8a", accent="#b45309", background="#f4f7fb", radius="10px"),
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
