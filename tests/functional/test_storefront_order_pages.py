"""A page of one order (each payment step) reads the signed-in buyer and the order together, in
one statement, and is still only the buyer's own: another buyer's order is a 404, a visitor
not signed in is sent to sign in."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from marketplace.db import db
from tests.functional.storefront import Shopper
from tests.functional.test_storefronts import newcomer, order_code, reach_card_step


def buyer_and_order_reads(market) -> list[str]:
    """Each statement that reads storefront buyers or orders, from now on."""
    seen: list[str] = []
    with market.app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(_conn, _cursor, statement, *_args):
            if statement.lstrip().startswith("SELECT") and (
                "sf_buyers" in statement or "sf_orders" in statement
            ):
                seen.append(statement)

    return seen


@pytest.mark.parametrize("slug", ["tokopedia", "bukalapak", "pintaria"])
def test_a_payment_step_reads_its_order_and_buyer_in_one_statement(market, slug):
    shopper = reach_card_step(market, slug)
    code = order_code(shopper)
    reads = buyer_and_order_reads(market)
    assert shopper.get(f"/bayar/{code}/kartu").status == 200
    assert len(reads) == 1
    assert "sf_buyers" in reads[0] and "sf_orders" in reads[0]


@pytest.mark.parametrize("slug", ["tokopedia", "bukalapak", "pintaria"])
def test_another_buyers_order_is_not_found_and_a_visitor_signs_in_first(market, slug):
    owner = reach_card_step(market, slug)
    code = order_code(owner)
    other, _account = newcomer(market, slug)
    assert other.get(f"/bayar/{code}/kartu").status == 404
    assert other.get(f"/pesanan/{code}").status == 404
    assert other.get("/riwayat").status == 200  # still signed in as themselves
    visitor = Shopper(market, slug).get(f"/bayar/{code}/kartu")
    assert visitor.status == 200 and "masuk" in visitor.url.split("?")[0]  # the sign-in page
    assert owner.get(f"/bayar/{code}/kartu").status == 200
