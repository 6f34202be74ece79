"""An institution's own rules: learners, enrolments from vouchers, the steps of a course, and
certificates. Calls to Prakerja and to storefronts happen in the views (outside transactions);
these services only read and write the institution's tables. They flush, never commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from institutions.models import LESSONS, Enrolment, Learner
from institutions.spec import InstitutionSpec
from marketplace import throttle
from marketplace.catalog.models import CourseSchedule
from marketplace.catalog.services import find_course
from marketplace.passwords import hash_secret, secret_matches

PASSING_SCORE = 60
FINAL_TASK_SEQUENCE = 999  # the skills demonstration (scope uk)
TASK_FAILED = 3  # Prakerja's status of a hand-in that was refused
TRAINER_NOTES = "Tugas sudah diperiksa pengajar dan memenuhi kriteria penilaian."


class StudyError(Exception):
    """A refusal to show on the page where it happened, in Indonesian."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class Question:
    text: str
    options: tuple[str, ...]
    answer: int  # index into options


QUIZ = (
    Question(
        "Apa yang paling tepat dilakukan sebelum mempraktikkan materi pelatihan?",
        ("Langsung mencoba tanpa rencana", "Menyusun langkah kerja", "Menunggu orang lain"),
        1,
    ),
    Question(
        "Mengapa umpan balik dari pelanggan atau rekan kerja penting?",
        ("Untuk memperbaiki hasil kerja", "Tidak penting", "Hanya untuk formalitas"),
        0,
    ),
    Question(
        "Bagaimana cara terbaik menjaga kemampuan setelah pelatihan selesai?",
        ("Melupakan materi", "Berlatih secara rutin", "Mengulang pelatihan yang sama"),
        1,
    ),
)


# --- learners -------------------------------------------------------------------------------
def register_learner(
    session: Session, now: datetime, spec: InstitutionSpec, *, name: str, email: str,
    password: str,
) -> Learner:  # fmt: skip
    email = email.lower()
    if _learner_by_email(session, spec, email) is not None:
        raise StudyError("Email ini sudah terdaftar. Silakan masuk.", field="email")
    learner = Learner(
        institution=spec.code,
        name=name,
        email=email,
        password_hash=hash_secret(password),
        created_at=now,
    )
    session.add(learner)
    session.flush()
    return learner


def learner_from_prakerja(
    session: Session, now: datetime, spec: InstitutionSpec, *, name: str, email: str
) -> Learner:
    """The learner "Masuk dengan Prakerja" signs in: the account with the Prakerja account's
    email, made on first use with a random password (nobody knows it: that account signs in
    through Prakerja)."""
    email = email.strip().lower()
    learner = _learner_by_email(session, spec, email)
    if learner is not None:
        return learner
    learner = Learner(
        institution=spec.code,
        name=(name or email)[:120],
        email=email,
        password_hash=hash_secret(secrets.token_urlsafe(24)),
        created_at=now,
    )
    session.add(learner)
    session.flush()
    return learner


def authenticate(
    session: Session, spec: InstitutionSpec, *, email: str, password: str, now: datetime,
    address: str | None = None,
) -> Learner:  # fmt: skip
    """The learner with this email and password; failed tries are counted and too many lock the
    sign-in for 15 minutes (marketplace.throttle)."""
    email, scope = email.strip().lower(), f"{spec.slug}-login"
    if throttle.is_locked(session, now, scope=scope, account=email, address=address):
        raise StudyError(throttle.LOCKED_MESSAGE, field="password")
    learner = _learner_by_email(session, spec, email)
    if learner is None or not secret_matches(learner.password_hash, password):
        throttle.record_failure(session, now, scope=scope, account=email, address=address)
        raise StudyError("Email atau kata sandi salah.", field="password")
    return learner


def _learner_by_email(session: Session, spec: InstitutionSpec, email: str) -> Learner | None:
    return session.execute(
        select(Learner).where(Learner.institution == spec.code, Learner.email == email)
    ).scalar()


# --- vouchers and enrolments ------------------------------------------------------------------
def refuse_known_voucher(session: Session, platform: str, voucher_code: str) -> None:
    """Before asking the storefront: a voucher already exchanged here is refused at once."""
    if _enrolment_by_voucher(session, platform, voucher_code) is not None:
        raise StudyError("Kode voucher ini sudah ditukarkan.", field="voucher_code")


def enrol(
    session: Session, now: datetime, spec: InstitutionSpec, learner: Learner, voucher: dict
) -> Enrolment:
    """Record the place a voucher bought, once the storefront has accepted it."""
    course = find_course(session, voucher["course_code"])
    if course is None or course.institution_code != spec.code:
        raise StudyError("Voucher ini bukan untuk pelatihan lembaga ini.", field="voucher_code")
    enrolment = Enrolment(
        institution=spec.code,
        learner_id=learner.id,
        platform=voucher["platform"],
        voucher_code=voucher["voucher_code"],
        course_code=course.course_code,
        course_title=course.title,
        course_type=course.course_type,
        # The card holder's name as Prakerja knows it (the certificate's), not the storefront
        # account's; a storefront that does not send it leaves the buyer's name.
        participant_name=(voucher.get("participant_name") or voucher["buyer_name"])[:120],
        participant_email=voucher["buyer_email"],
        created_at=now,
    )
    session.add(enrolment)
    session.flush()
    return enrolment


def _enrolment_by_voucher(session: Session, platform: str, voucher_code: str):
    return session.execute(
        select(Enrolment).where(
            Enrolment.platform == platform, Enrolment.voucher_code == voucher_code.upper()
        )
    ).scalar()


def enrolments_of(session: Session, learner: Learner) -> list[Enrolment]:
    return list(
        session.execute(
            select(Enrolment).where(Enrolment.learner_id == learner.id).order_by(Enrolment.id)
        ).scalars()
    )


def own_enrolment(session: Session, learner: Learner, enrolment_id: int) -> Enrolment | None:
    enrolment = session.get(Enrolment, enrolment_id)
    return enrolment if enrolment and enrolment.learner_id == learner.id else None


# --- redeem code and Scan Wajah -------------------------------------------------------------
def check_redeem_answer(enrolment: Enrolment, answer: dict) -> None:
    """The gateway's ``redeem-code/status`` data must be for this enrolment's course."""
    if answer.get("course_code") != enrolment.course_code:
        raise StudyError(
            "Kode redeem ini untuk pelatihan lain. Periksa kode di dashboard Prakerja.",
            field="redeem_code",
        )


def start_face_check(
    session: Session, enrolment: Enrolment, redeem_answer: dict, state: str
) -> None:
    """Remember the code, its schedule and the face check's ``state`` (the callback finds the
    enrolment by it)."""
    claim_code(session, enrolment, redeem_answer)
    enrolment.face_state = state
    session.flush()


def claim_code(session: Session, enrolment: Enrolment, redeem_answer: dict) -> bool:
    """The code (and the schedule bought with it) for this enrolment, unless another class
    holds it; True if this enrolment held it already."""
    code = redeem_answer["redeem_code"]
    other = session.execute(
        select(Enrolment.id).where(Enrolment.redeem_code == code, Enrolment.id != enrolment.id)
    ).first()
    if other is not None:
        raise StudyError("Kode redeem ini sudah dipakai di kelas lain.", field="redeem_code")
    earlier = enrolment.redeem_code == code
    enrolment.redeem_code = code
    enrolment.schedule_code = redeem_answer.get("schedule_code")
    session.flush()
    return earlier


def enrolment_by_face_state(session: Session, learner: Learner, state: str) -> Enrolment | None:
    """The learner's enrolment waiting for the Scan Wajah that returned with ``state``."""
    if not state:
        return None
    return session.execute(
        select(Enrolment).where(Enrolment.learner_id == learner.id, Enrolment.face_state == state)
    ).scalar()


def activate(session: Session, now: datetime, enrolment: Enrolment) -> None:
    """The code is redeemed at Prakerja: the course is open."""
    enrolment.status, enrolment.committed_at, enrolment.face_state = "active", now, None
    session.flush()


# --- the steps of a course --------------------------------------------------------------------
def score(answers: list[int | None]) -> int:
    right = sum(
        1 for question, given in zip(QUIZ, answers, strict=True) if given == question.answer
    )
    return right * 100 // len(QUIZ)


def next_step(enrolment: Enrolment) -> str:
    """What the learner does next, by name (the course page shows that form)."""
    if enrolment.status == "completed":
        return "certificate"
    if enrolment.status == "exchanged":
        return "redeem"
    if enrolment.pretest_score is None:
        return "pretest"
    if enrolment.lessons_done < LESSONS:
        return "lesson"
    if enrolment.course_type == "self_paced" and not enrolment.task_url:
        return "task"
    if enrolment.posttest_score is None or enrolment.posttest_score < PASSING_SCORE:
        return "posttest"
    if enrolment.course_type == "self_paced" and not enrolment.final_task_url:
        return "final_task"
    return "complete"


def record_pretest(session, enrolment: Enrolment, answers: list[int | None]) -> int:
    _expect(enrolment, "pretest")
    enrolment.pretest_score = score(answers)
    session.flush()
    return enrolment.pretest_score


def finish_lesson(session, enrolment: Enrolment, number: int) -> None:
    _expect(enrolment, "lesson")
    if number == enrolment.lessons_done + 1:
        enrolment.lessons_done = number
        session.flush()


def record_task(session, enrolment: Enrolment, url: str, *, final: bool = False) -> None:
    """After Prakerja accepted the submission (the view hands it in first)."""
    _expect(enrolment, "final_task" if final else "task")
    if final:
        enrolment.final_task_url = url
    else:
        enrolment.task_url = url
    session.flush()


def record_posttest(session, enrolment: Enrolment, answers: list[int | None]) -> int:
    _expect(enrolment, "posttest")
    enrolment.posttest_score = score(answers)
    session.flush()
    if enrolment.posttest_score < PASSING_SCORE:
        raise StudyError(
            f"Nilai post-test Anda {enrolment.posttest_score}. Nilai minimal {PASSING_SCORE}; "
            "silakan ulangi."
        )
    return enrolment.posttest_score


def new_certificate_number(spec: InstitutionSpec, enrolment: Enrolment, now: datetime) -> str:
    """Unique and hard to guess, so the public verification page cannot be walked."""
    return f"{spec.code}-{now:%Y}-{enrolment.id:06d}-{secrets.token_hex(3).upper()}"


def complete(session, now: datetime, enrolment: Enrolment, certificate_number: str) -> None:
    """After Prakerja recorded the completion (the view reports it first)."""
    _expect(enrolment, "complete")
    enrolment.status, enrolment.completed_at = "completed", now
    enrolment.certificate_number = certificate_number
    session.flush()


def find_certificate(session: Session, spec: InstitutionSpec, number: str) -> Enrolment | None:
    return session.execute(
        select(Enrolment).where(
            Enrolment.institution == spec.code, Enrolment.certificate_number == number
        )
    ).scalar()


def _expect(enrolment: Enrolment, step: str) -> None:
    if next_step(enrolment) != step:
        raise StudyError("Langkah ini belum atau sudah tidak bisa dilakukan.")


def enrolled_schedule(session: Session, enrolment: Enrolment) -> CourseSchedule | None:
    """The catalogue schedule Prakerja fixed at purchase (known once the redeem code is in)."""
    if enrolment.schedule_code is None:
        return None
    return session.execute(
        select(CourseSchedule).where(CourseSchedule.schedule_code == enrolment.schedule_code)
    ).scalar()
