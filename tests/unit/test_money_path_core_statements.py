"""The money path's prebuilt statements stay Core (issue 13): one ORM column anywhere in them,
even in a subquery, sends ``session.execute`` down the ORM's bulk-DML path, which cost several
times the statement while SQLite's write lock was held."""

from __future__ import annotations

import pytest

from prakerja_gateway.services import capture, idempotency, payments, schedules

STATEMENTS = {
    "count an OTP attempt": payments.COUNT_OTP_ATTEMPT,
    "insert a payment": payments.INSERT_PAYMENT,
    "insert its OTP": payments.INSERT_OTP,
    "take a seat": schedules.TAKE_SEAT,
    "debit the card": capture.DEBIT,
    "remember the answer": idempotency.REMEMBER_ANSWER,
    "claim the payment": capture._leaving_pending(("status", "captured_at", "invoice_code")),
}


@pytest.mark.parametrize("name", STATEMENTS)
def test_a_money_path_statement_is_core_only(name):
    assert "compile_state_plugin" not in STATEMENTS[name]._propagate_attrs, name
