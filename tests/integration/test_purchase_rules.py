"""Every rule checked at purchase time answers its own code and status, and moves no saldo."""

from __future__ import annotations

import pytest

from prakerja_gateway.domain import make_card_number
from tests.helpers import new_invoice


def test_inquiry_reports_saldo_and_purchase_ability(market):
    persona = market.mint("ok")
    response = market.tokopedia.card_inquiry(persona.card_number, 1_000_000)
    assert response.status == 200
    data = response.data
    assert data["balance"] == 3_500_000 and data["scheme"] == "normal"
    assert data["can_purchase"] is True and data["reasons"] == []
    assert data["card_number_masked"].endswith(persona.card_number[-4:])
    assert persona.card_number not in str(response.body)


@pytest.mark.parametrize(
    ("key", "reasons"),
    [
        (
            "revoked",
            ["card_revoked", "participant_blacklisted", "deadline_passed", "insufficient_saldo"],
        ),
        ("deadline_passed", ["deadline_passed"]),
        ("low_saldo", ["insufficient_saldo"]),
        ("previous_unfinished", ["previous_training_unfinished"]),
        ("no_linked_account", ["payout_account_not_linked"]),
    ],
)
def test_inquiry_lists_every_reason_a_card_cannot_buy(market, key, reasons):
    persona = market.mint(key)
    response = market.tokopedia.card_inquiry(persona.card_number, 100_000)
    assert response.status == 200
    assert response.data["can_purchase"] is False
    assert response.data["reasons"] == reasons


@pytest.mark.parametrize(
    ("key", "course", "status", "code"),
    [
        ("low_saldo", "DIG-004", 402, "insufficient_saldo"),
        ("revoked", "DIG-004", 403, "card_revoked"),
        ("deadline_passed", "DIG-004", 403, "deadline_passed"),
        ("previous_unfinished", "DIG-004", 403, "previous_training_unfinished"),
        ("no_linked_account", "DIG-004", 403, "payout_account_not_linked"),
    ],
)
def test_otp_request_refuses_cards_that_may_not_buy(market, key, course, status, code):
    persona = market.mint(key)
    response = market.request_otp(persona, course_code=course)
    assert (response.status, response.error_code) == (status, code), response.body
    assert response.body["message"]  # Indonesian text for people
    assert market.sms(persona.phone) == []


def test_saldo_too_low_for_a_pricier_course_is_402(market):
    persona = market.mint("ok")
    response = market.request_otp(persona, course_code="BIS-002")  # 1.5M, fine
    assert response.status == 200
    low = market.mint("low_saldo")  # 50.000 left
    response = market.request_otp(low, course_code="FIN-001")
    assert (response.status, response.error_code) == (402, "insufficient_saldo")
    assert response.body["error"]["details"]["balance"] == 50_000


@pytest.mark.parametrize(
    ("card_number", "status", "code"),
    [
        ("1234", 400, "invalid_card_number"),
        ("52048900000000AB", 400, "invalid_card_number"),
        ("5204890000000016", 400, "invalid_card_number"),  # Luhn check fails
        (make_card_number(48, 9_999_999_999), 404, "card_not_found"),
    ],
)
def test_card_number_format_and_existence(market, card_number, status, code):
    response = market.tokopedia.card_inquiry(card_number)
    assert (response.status, response.error_code) == (status, code)
    response = market.tokopedia.request_otp(
        card_number=card_number,
        amount=100_000,
        invoice_code=new_invoice(),
        course_code="DIG-004",
        account_id="a",
    )
    assert (response.status, response.error_code) == (status, code)


def test_unknown_course_is_404(market):
    persona = market.mint("ok")
    response = market.request_otp(persona, course_code="NOPE-1", amount=100_000)
    assert (response.status, response.error_code) == (404, "course_not_found")


def test_course_not_sold_on_this_platform_is_403(market):
    persona = market.mint("ok")
    response = market.request_otp(persona, partner=market.bukalapak, course_code="BIS-002")
    assert (response.status, response.error_code) == (403, "course_not_listed")


def test_amount_must_equal_the_course_price(market):
    persona = market.mint("ok")
    response = market.request_otp(persona, course_code="DIG-001", amount=999_999)
    assert (response.status, response.error_code) == (400, "amount_mismatch")
    assert response.body["error"]["details"] == {"amount": 999_999, "price": 1_000_000}


def test_invoice_code_is_unique_per_platform(market):
    persona = market.mint("ok")
    first = market.request_otp(persona, invoice_code="INV-SAME")
    again = market.request_otp(persona, invoice_code="INV-SAME")
    assert (again.status, again.error_code) == (409, "invoice_code_used")
    assert again.body["error"]["details"]["payment_id"] == first.data["payment_id"]
    other_platform = market.request_otp(persona, partner=market.pintaria, invoice_code="INV-SAME")
    assert other_platform.status == 200


def test_a_card_belongs_to_the_first_account_that_paid_with_it_per_platform(market):
    persona = market.mint("ok")
    bought = market.buy(persona, account_id="andi", course_code="DIG-004")
    assert bought.status == 200
    market.complete(bought.data["payment_id"], rating=5, review="Bagus")

    other_account = market.request_otp(persona, account_id="budi", course_code="DIG-004")
    assert (other_account.status, other_account.error_code) == (403, "card_bound_to_other_account")
    same_account = market.request_otp(persona, account_id="andi", course_code="DIG-004")
    assert same_account.status == 200
    elsewhere = market.request_otp(
        persona, partner=market.pintaria, account_id="budi", course_code="DIG-004"
    )
    assert elsewhere.status == 200


def test_an_account_may_use_only_one_card_per_platform(market):
    first, second = market.mint("ok"), market.mint("ok")
    assert market.buy(first, account_id="andi", course_code="DIG-004").status == 200
    response = market.request_otp(second, account_id="andi", course_code="DIG-004")
    assert (response.status, response.error_code) == (403, "account_bound_to_other_card")


def test_binding_is_rechecked_at_charge_time(market):
    """Two accounts open payments with one card; the second to pay is refused, money intact."""
    persona = market.mint("ok")
    first = market.request_otp(persona, account_id="andi", course_code="DIG-004")
    second = market.request_otp(persona, account_id="budi", course_code="DIG-004")
    assert market.tokopedia.charge(first.data["payment_id"], "112233").status == 200
    market.complete(first.data["payment_id"], rating=4, review="Oke")
    refused = market.tokopedia.charge(second.data["payment_id"], "112233")
    assert (refused.status, refused.error_code) == (403, "card_bound_to_other_account")
    assert market.card(persona.card_number).balance == 3_500_000 - 100_000
    status = market.tokopedia.status(payment_id=second.data["payment_id"])
    assert status.data["status"] == "failed"
    assert status.data["failure_code"] == "card_bound_to_other_account"
    market.assert_reconciled()
