"""An institution's site (``/lembaga/<slug>/``): accounts, "Tukar Voucher", choosing a session,
the redeem code with Prakerja's "Scan Wajah", the course's steps and the certificate.

Views are thin: validate a form, call Prakerja or the storefront outside any transaction, then
one service and one commit. A refusal is shown on the page where it happened (422).
"""

from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint,
    Response,
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
from werkzeug.routing import BuildError
from wtforms import SelectChoice

from institutions import forms, partners, services
from institutions.certificate import certificate_pdf
from institutions.models import LESSONS, Enrolment, Learner
from institutions.services import QUIZ, StudyError
from institutions.spec import InstitutionSpec
from marketplace.catalog.models import Course, CourseSchedule, Platform
from marketplace.clock import current_clock
from marketplace.db import begin_write, db
from marketplace.web import safe_next
from prakerja_gateway.client import SSO_CANCELLED, SsoLogin

SCHEDULE_NOT_RUNNING = "ERRTRX40027"  # Prakerja: the schedule has not started, or is over


def site_blueprint(spec: InstitutionSpec) -> Blueprint:
    return InstitutionSite(spec).blueprint()


# What Prakerja answers when a Scan Wajah callback was never registered (the simulator's code).
CALLBACK_NOT_REGISTERED = "ERRTRX40037"


class InstitutionSite:
    def __init__(self, spec: InstitutionSpec):
        self.spec = spec

    def blueprint(self) -> Blueprint:
        bp = Blueprint(
            f"lp_{self.spec.code.lower()}", __name__, url_prefix=f"/lembaga/{self.spec.slug}"
        )
        rules = [
            ("/", "home", self.home, ["GET"]),
            ("/daftar", "register", self.register, ["GET", "POST"]),
            ("/masuk", "login", self.login, ["GET", "POST"]),
            # "Masuk dengan Prakerja": off to Prakerja's consent page, and back with a code.
            ("/masuk/prakerja", "sso_start", self.sso_start, ["POST"]),
            ("/sso/kembali", "sso_back", self.sso_back, ["GET"]),
            ("/keluar", "logout", self.logout, ["POST"]),
            ("/tukar-voucher", "voucher", self.voucher, ["GET", "POST"]),
            ("/kelas/<int:enrolment_id>", "course", self.course, ["GET"]),
            ("/kelas/<int:enrolment_id>/redeem", "redeem", self.redeem, ["POST"]),
            # One fixed callback, registered with Prakerja; the enrolment is found by ``state``.
            ("/scan-wajah/kembali", "face_back", self.face_back, ["GET"]),
            ("/kelas/<int:enrolment_id>/pretest", "pretest", self.pretest, ["POST"]),
            ("/kelas/<int:enrolment_id>/materi/<int:number>", "lesson", self.lesson, ["POST"]),
            ("/kelas/<int:enrolment_id>/tugas", "task", self.task, ["POST"]),
            ("/kelas/<int:enrolment_id>/posttest", "posttest", self.posttest, ["POST"]),
            ("/kelas/<int:enrolment_id>/tugas-akhir", "final_task", self.final_task, ["POST"]),
            ("/kelas/<int:enrolment_id>/selesai", "complete", self.complete, ["POST"]),
            ("/sertifikat/<number>", "certificate", self.certificate, ["GET"]),
            ("/sertifikat/<number>.pdf", "certificate_pdf", self.certificate_pdf, ["GET"]),
        ]
        for rule, endpoint, view, methods in rules:
            bp.add_url_rule(rule, endpoint, self._with_learner(view), methods=methods)
        return bp

    # --- helpers ----------------------------------------------------------------------------
    def _with_learner(self, view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            learner_id = session.get(self.spec.session_key)
            g.lp_learner = db.session.get(Learner, learner_id) if learner_id else None
            return view(*args, **kwargs)

        return wrapped

    @property
    def learner(self) -> Learner | None:
        """The signed-in learner of this request (kept on ``g``: the site object is shared)."""
        return g.get("lp_learner")

    def url(self, endpoint: str, **values) -> str:
        return url_for(f"lp_{self.spec.code.lower()}.{endpoint}", **values)

    def render(self, name: str, status: int = 200, **context):
        page = render_template(
            f"institution/{name}", spec=self.spec, site=self, learner=self.learner, **context
        )
        return page, status

    def now(self):
        return current_clock().now()

    def signed_in_or_redirect(self):
        if self.learner is None:  # back here after signing in (or registering), query kept
            here = request.full_path if request.query_string else request.path
            return redirect(self.url("login", next=here))
        return None

    def next_or(self, endpoint: str) -> str:
        """The page a sign-in was asked for (``next``, on this site only), else ``endpoint``."""
        target = safe_next(request.args.get("next"), prefix=f"/lembaga/{self.spec.slug}/")
        return target or self.url(endpoint)

    def own(self, enrolment_id: int) -> Enrolment:
        enrolment = services.own_enrolment(db.session, self.learner, enrolment_id)
        if enrolment is None:
            abort(404)
        return enrolment

    # --- pages ------------------------------------------------------------------------------
    def home(self):
        courses = db.session.execute(
            select(Course).where(Course.institution_code == self.spec.code).order_by(Course.title)
        ).scalars()
        mine = services.enrolments_of(db.session, self.learner) if self.learner else []
        return self.render("home.html", courses=list(courses), enrolments=mine)

    def register(self):
        form = forms.RegisterForm()
        if form.validate_on_submit():
            begin_write(db.session)
            try:
                learner = services.register_learner(
                    db.session,
                    self.now(),
                    self.spec,
                    name=form.name.data,
                    email=form.email.data,
                    password=form.password.data,
                )
            except StudyError as refusal:
                db.session.rollback()
                form[refusal.field or "email"].errors.append(refusal.message)
            else:
                db.session.commit()
                session[self.spec.session_key] = learner.id
                return redirect(self.next_or("voucher"))
        return self.render("register.html", 422 if form.errors else 200, form=form)

    def login(self):
        form = forms.LoginForm()
        if form.validate_on_submit():
            begin_write(db.session)  # a failed try is recorded (marketplace.throttle)
            try:
                learner = services.authenticate(
                    db.session, self.spec, email=form.email.data, password=form.password.data,
                    now=current_clock().now(), address=request.remote_addr,
                )  # fmt: skip
            except StudyError as refusal:
                db.session.commit()
                form.password.errors.append(refusal.message)
            else:
                db.session.commit()
                session[self.spec.session_key] = learner.id
                return redirect(self.next_or("home"))
        refused_at_prakerja = request.args.get("error") == "access_denied"  # Prakerja's login_uri
        message = SSO_CANCELLED if refused_at_prakerja else None
        return self.render(
            "login.html", 422 if form.errors else 200, form=form, sso_message=message
        )

    # --- "Masuk dengan Prakerja" (SSO) ------------------------------------------------------
    def _sso_login(self) -> SsoLogin:
        client = partners.prakerja_sso(self.spec.code, self.spec.name)
        return SsoLogin(client, session, f"sso:{self.spec.slug}")

    def sso_start(self):
        """To Prakerja's consent page (the docs' hand-built URL)."""
        if not forms.EmptyForm().validate_on_submit():
            return redirect(self.url("login"))
        return redirect(
            self._sso_login().begin(
                redirect_uri=self.url("sso_back", _external=True),
                login_uri=self.url("login", _external=True),
                next_page=request.args.get("next") or "",
            )
        )

    def sso_back(self):
        """Back from Prakerja with a ``code``: the learner with the Prakerja account's email
        signed in (the account made on first use)."""
        partners.outside_transaction()
        profile, next_page, refusal = self._sso_login().finish(request.args)
        if profile is not None and not profile.get("email"):
            refusal = (
                "Prakerja tidak memberikan email Anda, jadi akun tidak dapat dibuat. Izinkan "
                "akses email saat masuk dengan Prakerja, atau daftar dengan email dan kata sandi."
            )
        if refusal:
            return self.render("login.html", 400, form=forms.LoginForm(), sso_message=refusal)
        begin_write(db.session)
        learner = services.learner_from_prakerja(
            db.session, self.now(), self.spec, name=profile.get("name", ""), email=profile["email"]
        )
        db.session.commit()
        session[self.spec.session_key] = learner.id
        back = safe_next(next_page, prefix=f"/lembaga/{self.spec.slug}/")
        return redirect(back or self.url("voucher"))

    def logout(self):
        if forms.EmptyForm().validate_on_submit():
            session.pop(self.spec.session_key, None)
        return redirect(self.url("home"))

    def voucher(self):
        if (gate := self.signed_in_or_redirect()) is not None:
            return gate
        form = forms.VoucherForm()
        platforms = db.session.execute(select(Platform).order_by(Platform.name)).scalars().all()
        form.platform.choices = [SelectChoice(p.slug, p.name) for p in platforms]
        if not form.is_submitted() and request.args.get("dari"):  # from the storefront's page
            form.platform.data = request.args["dari"]
        if form.validate_on_submit():
            try:
                enrolment = self._exchange(form.platform.data, form.voucher_code.data)
            except StudyError as refusal:
                db.session.rollback()
                form.voucher_code.errors.append(refusal.message)
            else:
                return redirect(self.url("course", enrolment_id=enrolment.id))
        return self.render("voucher.html", 422 if form.errors else 200, form=form)

    def _exchange(self, platform: str, voucher_code: str) -> Enrolment:
        services.refuse_known_voucher(db.session, platform, voucher_code)
        partners.outside_transaction()
        answer = partners.redeem_voucher(platform, self.spec.code, voucher_code)
        if not answer.ok:
            raise StudyError(answer.message or "Voucher tidak dapat ditukarkan.")
        begin_write(db.session)
        enrolment = services.enrol(db.session, self.now(), self.spec, self.learner, answer.data)
        db.session.commit()
        return enrolment

    def course(
        self, enrolment_id: int, *, error: str | None = None, status: int = 200,
        waiting_for=None, **forms_,
    ):  # fmt: skip
        if (gate := self.signed_in_or_redirect()) is not None:
            return gate
        enrolment = self.own(enrolment_id)
        step = services.next_step(enrolment)
        return self.render(
            "course.html",
            status,
            enrolment=enrolment,
            schedule=services.enrolled_schedule(db.session, enrolment),
            step=step,
            error=error,
            waiting_for=waiting_for,
            clock_url=links_to_clock(),
            lessons=LESSONS,
            quiz=QUIZ,
            redeem_form=forms_.get("redeem_form") or forms.RedeemForm(formdata=None),
            quiz_form=forms_.get("quiz_form") or forms.QuizForm(formdata=None),
            task_form=forms_.get("task_form") or forms.TaskForm(formdata=None),
            button_form=forms.EmptyForm(formdata=None),
        )

    def redeem(self, enrolment_id: int):
        """Check the code with Prakerja; online courses then send the learner to Scan Wajah
        (the first check is the redeem), offline ones declare the code used (commit)."""
        if (gate := self.signed_in_or_redirect()) is not None:
            return gate
        enrolment = self.own(enrolment_id)
        form = forms.RedeemForm()
        if not form.validate_on_submit():
            return self.course(enrolment_id, status=422, redeem_form=form)
        code = form.redeem_code.data
        partners.outside_transaction()
        prakerja = partners.prakerja(self.spec.code)
        status = prakerja.redeem_code_status(code, sequence=1)
        if not status.ok:
            return self.course(
                enrolment_id, status=422, error=status.message, redeem_form=form
            )  # the code stays typed, for the next try
        try:
            services.check_redeem_answer(enrolment, status.data)
        except StudyError as refusal:
            return self.course(enrolment_id, status=422, error=refusal.message)
        if not status.data["is_online_attendance"]:
            return self._commit(enrolment_id, prakerja, status.data)
        generated = self._face_check_url(prakerja, code)
        if not generated.ok:
            return self.course(
                enrolment_id, status=422, error=generated.message,
                waiting_for=_schedule_of(generated), redeem_form=form,
            )  # fmt: skip
        begin_write(db.session)
        try:
            services.start_face_check(
                db.session, self.own(enrolment_id), status.data, generated.data["state"]
            )
        except StudyError as refusal:
            db.session.rollback()
            return self.course(enrolment_id, status=422, error=refusal.message)
        db.session.commit()
        return redirect(generated.data["url"])

    def _face_check_url(self, prakerja, code: str):
        """Prakerja's Scan Wajah address for the first session. The callback must be registered
        with Prakerja: the first time this site runs on an address, it registers it (a form at
        Prakerja, an API call here) and asks again."""
        back = self.url("face_back", _external=True)

        def generate():
            return prakerja.face_check_url(
                code, redirect_uri=back, email=self.learner.email, sequence=1
            )

        generated = generate()
        if generated.error_code == CALLBACK_NOT_REGISTERED:
            registered = prakerja.register_redirect_uri(back)
            generated = generate() if registered.ok else registered
        return generated

    def _commit(self, enrolment_id: int, prakerja, answer: dict):
        """Offline courses take attendance at the venue: the code is declared used at once."""
        begin_write(db.session)
        try:
            earlier = services.claim_code(db.session, self.own(enrolment_id), answer)
        except StudyError as refusal:
            db.session.rollback()
            return self.course(enrolment_id, status=422, error=refusal.message)
        db.session.commit()  # claimed before Prakerja hears of it: no other class can take it
        if not (earlier and answer["redeem_at"]):  # a retry after Prakerja already took it
            committed = prakerja.redeem_code_commit(answer["redeem_code"])
            if not committed.ok:
                return self.course(enrolment_id, status=409, error=committed.message)
        begin_write(db.session)
        services.activate(db.session, self.now(), self.own(enrolment_id))
        db.session.commit()
        return redirect(self.url("course", enrolment_id=enrolment_id))

    def face_back(self):
        """Back from Scan Wajah: the first session's attendance, which redeems the code,
        confirmed with Prakerja."""
        if (gate := self.signed_in_or_redirect()) is not None:
            return gate
        state = request.args.get("state", "")
        enrolment = services.enrolment_by_face_state(db.session, self.learner, state)
        if enrolment is None:
            return self.render("face_unknown.html", 400)
        enrolment_id = enrolment.id
        if request.args.get("error"):
            return self.course(enrolment_id, error="Scan Wajah dibatalkan. Silakan ulangi.")
        code = enrolment.redeem_code
        partners.outside_transaction()
        status = partners.prakerja(self.spec.code).redeem_code_status(code, sequence=1)
        if not status.ok or status.data["attendance_status"] != 1:
            message = status.message if not status.ok else "Kehadiran belum tercatat di Prakerja."
            return self.course(enrolment_id, status=409, error=message)
        begin_write(db.session)
        services.activate(db.session, self.now(), self.own(enrolment_id))
        db.session.commit()
        return redirect(self.url("course", enrolment_id=enrolment_id))

    def pretest(self, enrolment_id: int):
        return self._quiz(enrolment_id, services.record_pretest)

    def posttest(self, enrolment_id: int):
        return self._quiz(enrolment_id, services.record_posttest)

    def _quiz(self, enrolment_id: int, record):
        if (gate := self.signed_in_or_redirect()) is not None:
            return gate
        self.own(enrolment_id)
        form = forms.QuizForm()
        if not form.validate_on_submit():
            return self.course(enrolment_id, status=422, quiz_form=form)
        begin_write(db.session)
        try:
            record(db.session, self.own(enrolment_id), forms.quiz_answers(form))
        except StudyError as refusal:
            db.session.commit()  # a failed post-test is kept: the learner sees the score
            return self.course(enrolment_id, status=422, error=refusal.message)
        db.session.commit()
        return redirect(self.url("course", enrolment_id=enrolment_id))

    def lesson(self, enrolment_id: int, number: int):
        if (gate := self.signed_in_or_redirect()) is not None:
            return gate
        self.own(enrolment_id)
        if forms.EmptyForm().validate_on_submit():
            begin_write(db.session)
            try:
                services.finish_lesson(db.session, self.own(enrolment_id), number)
            except StudyError as refusal:
                return self.course(enrolment_id, status=409, error=refusal.message)
            db.session.commit()
        return redirect(self.url("course", enrolment_id=enrolment_id))

    def task(self, enrolment_id: int):
        return self._hand_in(enrolment_id, final=False)

    def final_task(self, enrolment_id: int):
        return self._hand_in(enrolment_id, final=True)

    def _hand_in(self, enrolment_id: int, *, final: bool):
        """A practice task (sequence 1) or the final task (999), handed in to Prakerja."""
        if (gate := self.signed_in_or_redirect()) is not None:
            return gate
        enrolment = self.own(enrolment_id)
        form = forms.TaskForm()
        if not form.validate_on_submit():
            return self.course(enrolment_id, status=422, task_form=form)
        if services.next_step(enrolment) != ("final_task" if final else "task"):
            return self.course(enrolment_id, status=409, error="Langkah ini belum bisa dilakukan.")
        partners.outside_transaction()
        prakerja = partners.prakerja(self.spec.code)
        scope, sequence = ("uk", services.FINAL_TASK_SEQUENCE) if final else ("tpm", 1)
        answer = prakerja.submit_task(
            enrolment.redeem_code, scope=scope, sequence=sequence, url_file=form.url_file.data
        )
        if not answer.ok:
            return self.course(enrolment_id, status=409, error=answer.message)
        if answer.data["status"] == services.TASK_FAILED:
            message = "Tugas Anda tidak lolos penilaian. Perbaiki lalu kirim ulang."
            return self.course(enrolment_id, status=422, error=message)
        # Our trainer assesses at once; Prakerja records the institution's feedback.
        feedback = prakerja.submit_feedback(
            enrolment.redeem_code, scope=scope, sequence=sequence, notes=services.TRAINER_NOTES
        )
        if not feedback.ok:
            return self.course(enrolment_id, status=409, error=feedback.message)
        begin_write(db.session)
        services.record_task(db.session, self.own(enrolment_id), form.url_file.data, final=final)
        db.session.commit()
        return redirect(self.url("course", enrolment_id=enrolment_id))

    def complete(self, enrolment_id: int):
        """Report completion to Prakerja with a new certificate number, then issue it."""
        if (gate := self.signed_in_or_redirect()) is not None:
            return gate
        enrolment = self.own(enrolment_id)
        if (
            not forms.EmptyForm().validate_on_submit()
            or services.next_step(enrolment) != "complete"
        ):
            return self.course(enrolment_id, status=409, error="Pelatihan belum bisa diselesaikan.")
        number = services.new_certificate_number(self.spec, enrolment, self.now())
        partners.outside_transaction()
        answer = partners.prakerja(self.spec.code).report_completion(enrolment.redeem_code, number)
        if not answer.ok:
            return self.course(enrolment_id, status=409, error=answer.message)
        begin_write(db.session)
        services.complete(db.session, self.now(), self.own(enrolment_id), number)
        db.session.commit()
        return redirect(self.url("certificate", number=number))

    def certificate(self, number: str):
        """Public: anyone with the number can verify the certificate."""
        enrolment = services.find_certificate(db.session, self.spec, number)
        if enrolment is None:
            return self.render("certificate_unknown.html", 404, number=number)
        return self.render("certificate.html", enrolment=enrolment)

    def certificate_pdf(self, number: str):
        enrolment = services.find_certificate(db.session, self.spec, number)
        if enrolment is None:
            abort(404)
        verify = self.url("certificate", number=number, _external=True)
        return Response(
            certificate_pdf(self.spec, enrolment, verify),
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="sertifikat-{number}.pdf"'},
        )


def _schedule_of(refusal) -> CourseSchedule | None:
    """The schedule a code was refused for (ERRTRX40027: not started, or over), from the
    refusal's ``details``, so the page can say when the class runs."""
    if refusal.error_code != SCHEDULE_NOT_RUNNING:
        return None
    code = (refusal.body.get("details") or {}).get("schedule_code")
    if not isinstance(code, str):
        return None
    return db.session.execute(
        select(CourseSchedule).where(CourseSchedule.schedule_code == code)
    ).scalar()


def links_to_clock() -> str | None:
    """The sandbox clock page, when the sandbox runs in this app (a tester moves time there
    instead of waiting for a class to start)."""
    if not current_app.config.get("SANDBOX_ENABLED"):
        return None
    try:
        return url_for("sandbox.clock_page")
    except BuildError:
        return None
