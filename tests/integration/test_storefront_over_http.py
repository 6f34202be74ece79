"""A storefront running against a gateway served by a separate process, over HTTP.

The two use different databases, so the payment can only have travelled through the signed API.
"""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import func, select

from marketplace.db import db
from prakerja_gateway.client import GatewayClient, HttpTransport
from prakerja_gateway.models import Payment
from tests.functional.storefront import Shopper
from tests.functional.test_storefronts import pay_with, reach_card_step
from tests.helpers import Marketplace
from tests.live import serve


@pytest.fixture(scope="module")
def gateway_process(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gateway")
    with serve(f"sqlite:///{folder / 'gateway.sqlite3'}", folder) as base_url:
        yield base_url


def test_bukalapak_pays_through_a_gateway_in_another_process(make_app, gateway_process):
    storefront = Marketplace(make_app(GATEWAY_URL=gateway_process))
    persona = requests.post(f"{gateway_process}/sandbox/personas/sms", timeout=10).json()

    shopper: Shopper = pay_with(reach_card_step(storefront, "bukalapak"), persona["card_number"])
    shopper.sees("5 huruf")
    sms = requests.get(
        f"{gateway_process}/sandbox/sms", params={"phone": persona["phone"]}, timeout=10
    ).json()["messages"]
    shopper.submit(otp=sms[0]["otp"]).sees("Detail Tagihan", "Kode kupon")

    with storefront.app.app_context():  # nothing paid in the storefront's own database
        local = select(func.count()).where(Payment.invoice_code.like("BL-INV-%"))
        assert db.session.scalar(local) == 0
    remote = GatewayClient(
        "bukalapak-sandbox", "sk_sandbox_bukalapak_demo", HttpTransport(gateway_process)
    )
    assert remote.card_inquiry(persona["card_number"]).data["balance"] == 3_400_000
    assert requests.get(f"{gateway_process}/sandbox/reconcile", timeout=10).json()["ok"] is True
