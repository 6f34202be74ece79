"""The checkout every storefront has, as one class; platforms subclass it for their own steps.

Views are thin: validate a form, call one service, commit, redirect or render. A refusal is shown
on the step where it happened, in Indonesian, with the form kept (status 422).
"""

from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from marketplace.catalog.models import Course, CourseListing, Institution
from marketplace.clock import current_clock
from marketplace.db import begin_write, db
from marketplace.forms import storable
from marketplace.web import safe_next
from platforms.core import forms, gateway, links, listing, payment, schedules, services
from platforms.core.links import kept_url
from platforms.core.models import Buyer, Order
from platforms.core.services import StorefrontError
from platforms.core.spec import PlatformSpec

SORTS = {
    "termurah": (Course.price_idr.asc(), Course.course_code),
    "termahal": (Course.price_idr.desc(), Course.course_code),
    "terbaru": (Course.id.desc(),),
    "relevan": (Course.course_code,),
}


# Which template each (platform, page) renders, per process (CheckoutFlow.template).
_TEMPLATES: dict[tuple[str, str], str] = {}


def buyer_required(view):
    @wraps(view)
    def wrapped(self, *args, **kwargs):
        if "order_code" in kwargs:  # a page of one order: read it with the buyer
            self.read_order_with_buyer(kwargs["order_code"])
        if (gate := self.needs_buyer()) is not None:
            return gate
        return view(self, *args, **kwargs)

    return wrapped


class CheckoutFlow:
    """Search → course → schedule and buy → Prakerja card (send-otp) → OTP (authorize) → paid;
    hooks for the steps that differ."""

    requires_verified_phone = False
    sign_in_after_register = True

    def __init__(self, spec: PlatformSpec):
        self.spec = spec

    # --- wiring ---------------------------------------------------------------------------
    def blueprint(self) -> Blueprint:
        bp = Blueprint(self.spec.slug, __name__, url_prefix=f"/{self.spec.slug}")
        rules = [
            ("/", "home", self.home, ["GET"]),
            ("/cari", "search", self.search, ["GET"]),
            ("/p/<course_code>", "course", self.course, ["GET"]),
            ("/daftar", "register", self.register, ["GET", "POST"]),
            ("/masuk", "login", self.login, ["GET", "POST"]),
            ("/keluar", "logout", self.logout, ["POST"]),
            ("/beli/<course_code>", "buy", self.buy, ["GET", "POST"]),
            ("/bayar/<order_code>/kartu", "card", self.card, ["GET", "POST"]),
            ("/bayar/<order_code>/otp", "otp", self.otp, ["GET", "POST"]),
            ("/bayar/<order_code>/otp/kirim-ulang", "resend", self.resend, ["POST"]),
            ("/pesanan/<order_code>", "order", self.order, ["GET"]),
            ("/pesanan/<order_code>/batal", "cancel", self.cancel, ["POST"]),
            ("/riwayat", "history", self.history, ["GET"]),
            *self.extra_rules(),
        ]
        for rule, endpoint, view, methods in rules:
            bp.add_url_rule(rule, endpoint, view, methods=methods)
        return bp

    def extra_rules(self) -> list[tuple]:
        """Steps only this platform has: (rule, endpoint, view, methods)."""
        return []

    # --- helpers ----------------------------------------------------------------------------
    def render(self, name: str, status: int = 200, **context):
        page = render_template(
            self.template(name), spec=self.spec, flow=self, buyer=self.buyer(), **context
        )
        return page, status

    def template(self, name: str) -> str:
        """The platform's own page ``<slug>/<name>`` if it has one, else the shared one. Jinja
        caches the templates it found but not the names it did not: the search for a missing
        platform page went through every template folder on each render (14 file checks a
        page). Found once per process, unless templates reload (debug)."""
        key = (self.spec.slug, name)
        if key not in _TEMPLATES or current_app.jinja_env.auto_reload:
            candidates = [f"{self.spec.slug}/{name}", f"storefront/{name}"]
            _TEMPLATES[key] = current_app.jinja_env.select_template(candidates).name
        return _TEMPLATES[key]

    def url(self, endpoint: str, **values) -> str:
        """A link to one of this platform's pages. Those of the header (no values) and the
        search's facets are the same for every visitor: built once (``kept_url``)."""
        if not values or (endpoint == "search" and not any(k.startswith("_") for k in values)):
            return kept_url(f"{self.spec.slug}.{endpoint}", **values)
        return url_for(f"{self.spec.slug}.{endpoint}", **values)

    def page_url(self, endpoint: str, **values) -> str:
        """A link of every page outside this platform (the stylesheet, the simulator's home)."""
        return kept_url(endpoint, **values)

    def now(self):
        return current_clock().now()

    def schedule_label(self, order: Order) -> str:
        return schedules.schedule_label(order)

    def dashboard_url(self) -> str:
        """Where Prakerja shows the participant's redeem codes."""
        return gateway.dashboard_url()

    def institution_url(self, order: Order) -> str | None:
        """Where the voucher of ``order`` is exchanged: its institution's site."""
        return links.institution_voucher_url(order, self.spec.slug)

    def sandbox_phone(self, order: Order | None = None, phone: str | None = None):
        """The footer's simulated phone: (address, label), or None off the sandbox."""
        return links.sandbox_phone_link(self.spec, order, phone)

    def pay_again_url(self, order: Order) -> str:
        """The first payment step of this platform, for an order still unpaid."""
        return self.next_after_order(order)

    @property
    def session_key(self) -> str:
        return f"buyer:{self.spec.slug}"

    def buyer(self) -> Buyer | None:
        """The signed-in buyer, read once per request: the session's identity map holds objects
        weakly, so a buyer no view keeps would be read again on every call."""
        buyer_id = session.get(self.session_key)
        known = g.setdefault("storefront_buyers", {})
        if buyer_id not in known:
            known[buyer_id] = services.find_buyer(db.session, buyer_id) if buyer_id else None
        return known[buyer_id]

    def sign_in(self, buyer: Buyer) -> None:
        session[self.session_key] = buyer.id

    def login_endpoint(self) -> str:
        return "login"

    def needs_buyer(self):
        """Redirect to sign in (then back here) unless a usable buyer is signed in."""
        buyer = self.buyer()
        if buyer is None:
            return redirect(self.url(self.login_endpoint(), next=request.full_path))
        if self.requires_verified_phone and buyer.phone_verified_at is None:
            return redirect(self.url("verify_phone", next=request.full_path))
        return None

    def read_order_with_buyer(self, order_code: str) -> None:
        """Read the signed-in buyer's order ``order_code`` with the buyer (one statement), for
        ``buyer()`` and ``own_order()`` to use: a payment step needs both, six times a
        checkout, and the order's read loads its buyer anyway. Nothing is kept when the order
        is not theirs (``buyer()`` then reads the buyer, ``own_order`` says 404)."""
        buyer_id = session.get(self.session_key)
        known = g.setdefault("storefront_buyers", {})
        if not buyer_id or buyer_id in known:
            return
        order = services.find_order(db.session, self.spec, buyer_id, order_code)
        if order is not None:
            known[buyer_id] = order.buyer
            g.storefront_order = (order_code, order)

    def own_order(self, order_code: str) -> Order:
        code, order = g.get("storefront_order") or (None, None)
        if code != order_code:
            order = services.find_order(db.session, self.spec, self.buyer().id, order_code)
        if order is None:
            abort(404)
        return order

    def listed_courses(self):
        """The courses this platform sells. A list shows none of a course's listings, so they
        are not loaded with it (up to 60 courses: one query and their rows saved per page)."""
        return (
            select(Course)
            .options(lazyload(Course.listings))
            .join(CourseListing, CourseListing.course_id == Course.id)
            .where(CourseListing.platform_slug == self.spec.slug)
        )

    # --- catalogue --------------------------------------------------------------------------
    def home(self):
        key = (self.spec.slug, "home")
        categories, featured = listing.kept(key, self._home_lists)
        return self.render("home.html", categories=categories, course_grid=featured)

    def _home_lists(self):
        categories = db.session.execute(
            select(Course.category)
            .join(CourseListing)
            .where(CourseListing.platform_slug == self.spec.slug)
            .distinct()
            .order_by(Course.category)
        ).scalars()
        featured = db.session.execute(self.listed_courses().order_by(Course.course_code).limit(8))
        return tuple(categories), listing.grid(self, featured.scalars())

    def search(self):
        # NUL dropped: PostgreSQL refuses it in a query parameter
        q = storable(request.args.get("q", "")).strip()[:100]
        category = storable(request.args.get("kategori", "")).strip()[:80]
        institution = storable(request.args.get("lembaga", "")).strip()[:40]
        sort = request.args.get("urut", "relevan")
        words = tuple(w for w in q.lower().split() if w not in ("kartu", "prakerja"))
        key = (self.spec.slug, "search", words, category, institution, sort)
        found, course_grid, categories, institutions = listing.kept(
            key, lambda: self._search_lists(words, category, institution, sort)
        )
        return self.render(
            "search.html",
            q=q,
            category=category,
            institution=institution,
            sort=sort,
            found=found,
            course_grid=course_grid,
            categories=categories,
            institutions=institutions,
        )

    def _search_lists(self, words: tuple[str, ...], category: str, institution: str, sort: str):
        """How many courses were found (up to 60), their cards, and the category and
        institution counts beside them."""
        matching = [  # every training here is a Prakerja training
            Course.title.ilike(f"%{word}%") | Course.category.ilike(f"%{word}%") for word in words
        ]
        chosen = [
            *([Course.category == category] if category else []),
            *([Course.institution_code == institution] if institution else []),
        ]
        query = self.listed_courses().where(*matching, *chosen)
        found = db.session.execute(query.order_by(*SORTS.get(sort, SORTS["relevan"])).limit(60))
        courses = found.scalars().all()
        return (
            len(courses),
            listing.grid(self, courses),
            self._categories(matching),
            self._institutions([*matching, Course.category == category]) if category else (),
        )

    def _categories(self, conditions: list):
        """(category, how many listed courses) among those matching ``conditions``."""
        counts = db.session.execute(
            select(Course.category, db.func.count())
            .join(CourseListing, CourseListing.course_id == Course.id)
            .where(CourseListing.platform_slug == self.spec.slug, *conditions)
            .group_by(Course.category)
            .order_by(Course.category)
        )
        return tuple(tuple(row) for row in counts)

    def _institutions(self, conditions: list):
        """(code, name, how many listed courses) of the institutions among those matching."""
        counts = db.session.execute(
            select(Institution.code, Institution.name, db.func.count())
            .join(Course, Course.institution_code == Institution.code)
            .join(CourseListing, CourseListing.course_id == Course.id)
            .where(CourseListing.platform_slug == self.spec.slug, *conditions)
            .group_by(Institution.code, Institution.name)
            .order_by(Institution.name)
        )
        return tuple(tuple(row) for row in counts)

    def course(self, course_code: str):
        course = self.course_or_404(course_code)
        return self.render("course.html", **self.buy_context(course, formdata=None))

    def course_or_404(self, course_code: str):
        course = services.listed_course(db.session, self.spec, course_code)
        if course is None:
            abort(404)
        return course

    def buy_context(self, course, **form_options) -> dict:
        """The course, its schedules on sale (with Prakerja's quota) and the buy form."""
        options = schedules.schedule_options(self.spec, course, self.now())
        form = forms.BuyForm(
            open_codes=schedules.open_codes(options),
            preselect=schedules.preselected(course, options),
            **form_options,
        )
        return {"course": course, "schedules": options, "form": form}

    # --- accounts ---------------------------------------------------------------------------
    def register(self):
        form = forms.RegisterForm()
        if not form.validate_on_submit():
            return self.render("register.html", 422 if form.is_submitted() else 200, form=form)
        begin_write(db.session)
        try:
            buyer = services.register_buyer(
                db.session,
                self.now(),
                self.spec,
                name=form.name.data,
                email=form.email.data,
                phone=form.phone.data,
                password=form.password.data,
            )
        except StorefrontError as refusal:
            add_error(getattr(form, refusal.field or "email"), refusal.message)
            return self.render("register.html", 422, form=form)
        self.after_register(buyer)
        db.session.commit()
        if self.sign_in_after_register:
            self.sign_in(buyer)
        return redirect(self.next_after_register())

    def after_register(self, buyer: Buyer) -> None:
        """Platform hook: e.g. text a phone verification code."""

    def next_after_register(self) -> str:
        return safe_next(request.args.get("next")) or self.url("home")

    def login(self):
        form = forms.LoginForm()
        if not form.validate_on_submit():
            return self.render("login.html", 422 if form.is_submitted() else 200, form=form)
        begin_write(db.session)  # a failed try is recorded (marketplace.throttle)
        try:
            buyer = services.authenticate(
                db.session, self.spec, login=form.login.data, password=form.password.data,
                now=self.now(), address=request.remote_addr,
            )  # fmt: skip
        except StorefrontError as refusal:
            db.session.commit()
            add_error(form.password, refusal.message)
            return self.render("login.html", 422, form=form)
        db.session.commit()
        self.sign_in(buyer)
        return redirect(safe_next(request.args.get("next")) or self.url("home"))

    def logout(self):
        if not forms.EmptyForm().validate_on_submit():
            abort(400)
        session.pop(self.session_key, None)
        return redirect(self.url("home"))

    # --- checkout ---------------------------------------------------------------------------
    # Where this platform's buyer chooses the schedule (a refusal about it leads back there).
    schedule_endpoint = "course"

    @buyer_required
    def buy(self, course_code: str):
        context = self.buy_context(self.course_or_404(course_code))
        form = context["form"]
        if not form.validate_on_submit():
            return self.render("buy.html", 422 if form.is_submitted() else 200, **context)
        if self.check_buy_form(form):
            return self.render("buy.html", 422, **context)
        [schedule] = [s for s in context["schedules"] if s.code == form.schedule_code.data]
        begin_write(db.session, keep_loaded=True)  # the buyer and the course, as just read
        order = services.create_order(
            db.session, self.now(), self.spec, self.buyer(), context["course"], schedule
        )
        next_step = self.next_after_order(order)  # before the commit expires the order
        db.session.commit()
        return redirect(next_step)

    def check_buy_form(self, form) -> bool:
        """Platform hook: add errors to the buy form; True if there were any."""
        if form.promo_code.data:
            add_error(form.promo_code, "Kode promo tidak berlaku untuk pembayaran Kartu Prakerja.")
            return True
        return False

    def next_after_order(self, order: Order) -> str:
        return self.url("card", order_code=order.code)

    def schedule_url(self, order: Order) -> str:
        return self.url(self.schedule_endpoint, course_code=order.course_code)

    def settled(self, order: Order):
        """A paid or cancelled order has no payment step left: a visit shows its page (paid: the
        voucher and what to do next), a repeated submit (a double click) goes where the first
        went. None while the order can still be paid."""
        if order.status == "paid" and request.method == "POST":
            return redirect(self.next_after_paid(order))
        if order.status in ("paid", "failed"):
            return redirect(self.url("order", order_code=order.code))
        return None

    @buyer_required
    def card(self, order_code: str):
        order = self.own_order(order_code)
        if (done := self.settled(order)) is not None:
            return done
        form = forms.CardForm()
        if not form.validate_on_submit():
            return self.render(
                "card.html", 422 if form.is_submitted() else 200, order=order, form=form
            )
        return self.submit_card(order, form)

    def submit_card(self, order: Order, form):
        """A valid card number was entered: ask Prakerja for the OTP (platform hook)."""
        try:
            order = payment.request_otp(
                db.session, self.now(), self.spec, order, form.card_number.data
            )
        except StorefrontError as refusal:
            db.session.rollback()
            return self.card_refused(order, form, refusal)
        next_step = self.url("otp", order_code=order.code)  # before the commit expires it
        db.session.commit()
        return redirect(next_step)

    def card_refused(self, order: Order, form, refusal: StorefrontError):
        """The card step again, the number kept: the refusal on the field, or as a notice that
        leads to the step that can fix it (another schedule)."""
        if refusal.field:
            add_error(getattr(form, refusal.field), refusal.message)
        return self.render("card.html", 422, order=order, form=form, refusal=refusal)

    @buyer_required
    def otp(self, order_code: str):
        order = self.own_order(order_code)
        if (done := self.settled(order)) is not None:
            return done
        if order.status != "awaiting_otp":
            return redirect(self.url("card", order_code=order.code))
        if (gate := self.otp_gate(order)) is not None:
            return gate
        form = forms.OtpForm()
        if not form.validate_on_submit():
            return self.render(
                "otp.html", 422 if form.is_submitted() else 200, order=order, form=form
            )
        try:
            order = payment.pay(
                db.session,
                self.now(),
                self.spec,
                order,
                form.otp.data,
                invoice_url=self.url("order", order_code=order.code, _external=True),
                dashboard_url=gateway.dashboard_url(),
            )
        except StorefrontError as refusal:
            db.session.commit()  # keeps the order's state (e.g. back to the card step)
            return self.otp_refused(order_code, form, refusal)
        next_step = self.next_after_paid(order)  # before the commit expires the order
        db.session.commit()
        return redirect(next_step)

    def otp_gate(self, order: Order):
        """Platform hook: a step that must come before the OTP (a redirect), or None."""
        return None

    def otp_refused(self, order_code: str, form, refusal: StorefrontError):
        if refusal.field:
            add_error(getattr(form, refusal.field), refusal.message)
        order = self.own_order(order_code)
        return self.render("otp.html", 422, order=order, form=form, refusal=refusal)

    @buyer_required
    def resend(self, order_code: str):
        order = self.own_order(order_code)
        if not forms.EmptyForm().validate_on_submit():
            abort(400)
        if (done := self.settled(order)) is not None:
            return done
        form = forms.OtpForm(formdata=None)
        try:
            order = payment.resend_otp(db.session, self.spec, order)
        except StorefrontError as refusal:
            db.session.commit()  # keeps the order's state (e.g. back to the card step)
            return self.otp_refused(order_code, form, refusal)
        db.session.commit()
        return self.render("otp.html", order=order, form=form, resent=True)

    def next_after_paid(self, order: Order) -> str:
        return self.url("order", order_code=order.code)

    @buyer_required
    def order(self, order_code: str):
        return self.render("order.html", order=self.own_order(order_code))

    @buyer_required
    def cancel(self, order_code: str):
        """Close an unpaid order ("Batalkan pesanan": nothing was debited); a paid one stays."""
        if not forms.EmptyForm().validate_on_submit():
            abort(400)
        order = payment.fresh_order(db.session, self.own_order(order_code))
        services.cancel_order(order)
        next_step = self.url("order", order_code=order.code)  # before the commit expires it
        db.session.commit()
        return redirect(next_step)

    @buyer_required
    def history(self):
        """The buyer's orders, newest first, ``HISTORY_PAGE_SIZE`` a page (``?halaman=2``).

        A page, not every order: a buyer who has bought many trainings (a load-test shopper
        buys dozens) would otherwise get a page, and a query, that grows with each purchase,
        and this page is where Pintaria lands after every payment."""
        page = history_page_number(request.args.get("halaman"))
        rows = (
            db.session.execute(
                select(Order)
                .where(Order.platform == self.spec.slug, Order.buyer_id == self.buyer().id)
                .order_by(Order.id.desc())
                .limit(HISTORY_PAGE_SIZE + 1)  # one more: is there a next page?
                .offset((page - 1) * HISTORY_PAGE_SIZE)
            )
            .scalars()
            .all()
        )
        return self.render(
            "history.html",
            orders=rows[:HISTORY_PAGE_SIZE],
            page=page,
            here=request.endpoint.rsplit(".", 1)[-1],  # Pintaria's "Kelas Saya" keeps its address
            newer_page=page - 1 if page > 1 and rows else None,  # none past the last page
            older_page=page + 1 if len(rows) > HISTORY_PAGE_SIZE else None,
        )


HISTORY_PAGE_SIZE = 10
MAX_HISTORY_PAGE = 10_000  # far beyond any buyer; keeps the OFFSET a sane number


def history_page_number(given: str | None) -> int:
    """The page asked for; anything that is not a page number (absent, text, 0, negative,
    huge) is the first page, as a mistyped address should not be an error page."""
    try:
        page = int(given or 1)
    except ValueError:
        return 1
    return page if 1 <= page <= MAX_HISTORY_PAGE else 1


def add_error(field, message: str) -> None:
    """Add an error to a form field. A field that was not validated holds its errors in a
    tuple, so they are replaced, never appended to."""
    field.errors = [*field.errors, message]
