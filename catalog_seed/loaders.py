"""Writing the catalogue and the participants of one wave slice, in bulk, streamed in batches."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, func, select

from catalog_seed.catalogue import PLATFORMS, Catalogue, sign_key
from catalog_seed.identity import participant, payout_account
from catalog_seed.plan import PlannedWave
from catalog_seed.writers import writer_for
from marketplace.catalog.models import Course, CourseListing, CourseSchedule, Institution, Platform
from marketplace.clock import WIB
from prakerja_gateway.domain import SCHEMES
from prakerja_gateway.models import Card, LedgerEntry, Participant, Partner, PayoutAccount, Wave

BATCH = 20_000

PARTICIPANT_COLUMNS = ("id", "name", "nik", "phone", "email", "wave_id", "birth_date", "education")
CARD_COLUMNS = (
    "id",
    "number",
    "participant_id",
    "scheme",
    "status",
    "balance",
    "first_purchase_deadline",
    "purchases",
    "fixed_otp",
)
GRANT_COLUMNS = ("card_id", "kind", "amount", "created_at", "note")
PAYOUT_COLUMNS = ("participant_id", "kind", "provider", "account_number", "linked_at")


def ensure_platforms(connection: Connection, seed: int) -> None:
    """The seven platforms and their DP partners; existing ones (the demo's) are kept."""
    known = set(connection.scalars(select(Platform.slug)))
    partners = set(connection.scalars(select(Partner.catalog_ref).where(Partner.kind == "dp")))
    for slug, name, otp_length, otp_alphabet in PLATFORMS:
        if slug not in known:
            connection.execute(Platform.__table__.insert(), {"slug": slug, "name": name})
        if slug not in partners:
            client_code = f"{slug}-sandbox"
            connection.execute(
                Partner.__table__.insert(),
                {
                    "client_code": client_code,
                    "sign_key": sign_key(seed, client_code),
                    "kind": "dp",
                    "name": name,
                    "catalog_ref": slug,
                    "otp_length": otp_length,
                    "otp_alphabet": otp_alphabet,
                },
            )


def catalogue_present(connection: Connection) -> bool:
    return connection.scalar(select(Course.id).where(Course.course_code == "PK-00001")) is not None


def write_catalogue(connection: Connection, catalogue: Catalogue) -> None:
    """Institutions, their LP partners, courses (with their requirements), listings and the
    schedules of every course."""
    connection.execute(Institution.__table__.insert(), catalogue.institutions)
    connection.execute(Partner.__table__.insert(), catalogue.lp_partners)
    connection.execute(Course.__table__.insert(), catalogue.courses)
    ids = dict(
        connection.execute(
            select(Course.course_code, Course.id).where(Course.course_code.like("PK-%"))
        ).all()
    )
    connection.execute(
        CourseListing.__table__.insert(),
        [{"course_id": ids[code], "platform_slug": slug} for code, slug in catalogue.listings],
    )
    schedules = [
        {
            **{k: v for k, v in row.items() if k != "course_code"},
            "course_id": ids[row["course_code"]],
        }
        for row in catalogue.schedules
    ]
    connection.execute(CourseSchedule.__table__.insert(), schedules)


def ensure_wave(connection: Connection, wave: PlannedWave, announced_on: date) -> int:
    """The wave's row id (created if missing; an existing wave of that number is reused)."""
    existing = connection.scalar(select(Wave.id).where(Wave.number == wave.number))
    if existing is not None:
        return existing
    deadline = announced_on + timedelta(days=SCHEMES[wave.scheme].deadline_days)
    return connection.execute(
        Wave.__table__.insert().returning(Wave.id),
        {
            "number": wave.number,
            "scheme": wave.scheme,
            "announced_on": announced_on,
            "purchase_deadline": deadline,
        },
    ).scalar_one()


def next_free_id(connection: Connection) -> int:
    """Seeded participants and cards share ids, allocated above every existing one."""
    highest = max(
        connection.scalar(select(func.coalesce(func.max(Participant.id), 0))),
        connection.scalar(select(func.coalesce(func.max(Card.id), 0))),
    )
    return highest + 1


def write_wave_slice(
    connection: Connection,
    *,
    seed: int,
    wave: PlannedWave,
    wave_id: int,
    announced_on: date,
    first: int,
    end: int,
    id_of_first: int,
    on_batch: Callable[[int], None] = lambda rows: None,
) -> None:
    """Participants ``first .. end-1`` of a wave, with cards, saldo grants and (normal scheme)
    payout accounts, streamed in batches of ``BATCH``."""
    writer = writer_for(connection)
    scheme = SCHEMES[wave.scheme]
    deadline = writer.day(announced_on + timedelta(days=scheme.deadline_days))
    granted_at = writer.instant(datetime.combine(announced_on, time(8, 0), tzinfo=WIB))
    for batch_first in range(first, end, BATCH):
        batch_end = min(end, batch_first + BATCH)
        people, cards, grants, payouts = [], [], [], []
        for i in range(batch_first, batch_end):
            person = participant(seed, i)
            row_id = id_of_first + (i - first)
            people.append(
                (
                    row_id,
                    person.name,
                    person.nik,
                    person.phone,
                    person.email,
                    wave_id,
                    writer.day(person.birth_date),
                    person.education,
                )
            )
            cards.append(
                (
                    row_id,
                    person.card_number,
                    row_id,
                    scheme.name,
                    "active",
                    scheme.saldo_idr,
                    deadline,
                    0,
                    writer.false,
                )
            )
            grants.append((row_id, "grant", scheme.saldo_idr, granted_at, "saldo awal"))
            if scheme.requires_payout_account:
                provider, number = payout_account(seed, i)
                kind = "bank" if provider in ("BNI", "BCA") else "ewallet"
                payouts.append((row_id, kind, provider, number, granted_at))
        writer.write(Participant.__table__, PARTICIPANT_COLUMNS, people)
        writer.write(Card.__table__, CARD_COLUMNS, cards)
        writer.write(LedgerEntry.__table__, GRANT_COLUMNS, grants)
        writer.write(PayoutAccount.__table__, PAYOUT_COLUMNS, payouts)
        on_batch(batch_end - batch_first)


def advance_sequences(connection: Connection) -> None:
    """PostgreSQL: move id sequences past the ids the seeder chose itself."""
    if connection.dialect.name != "postgresql":
        return
    for table in (Participant.__table__, Card.__table__):
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
        )
