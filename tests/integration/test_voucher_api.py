"""The storefronts' voucher API for institutions: signed, a voucher used once (also when
redeemed by racing requests), only by the institution whose course it bought."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from catalog_seed.demo import storefront_credentials
from prakerja_gateway.client import GatewayClient, WsgiTransport
from tests.functional.test_storefronts import pay_with, reach_card_step

PATH = "/tokopedia/api/v1/voucher"


def client(market, institution: str) -> GatewayClient:
    return GatewayClient(
        *storefront_credentials("tokopedia", institution), WsgiTransport(market.app)
    )


def sold_voucher(market) -> str:
    persona = market.mint("ok")
    shopper = reach_card_step(market, "tokopedia", "DIG-004")
    pay_with(shopper, persona.card_number).submit(otp=persona.otp)
    return shopper.value("voucher-code")


def test_status_then_redeem_once(market):
    voucher = sold_voucher(market)
    lp = client(market, "LPDIGI")
    status = lp.call(f"{PATH}/status", {"voucher_code": voucher})
    assert status.status == 200 and status.data["course_code"] == "DIG-004"
    assert status.data["used_at"] is None
    redeemed = lp.call(f"{PATH}/redeem", {"voucher_code": voucher.lower()})
    assert redeemed.status == 200 and redeemed.data["used_at"]
    again = lp.call(f"{PATH}/redeem", {"voucher_code": voucher})
    assert (again.status, again.error_code) == (409, "voucher_used")
    assert again.message == "Kode voucher sudah pernah ditukarkan."


def test_refusals_unknown_other_institution_and_bad_signature(market):
    voucher = sold_voucher(market)
    unknown = client(market, "LPDIGI").call(f"{PATH}/redeem", {"voucher_code": "TKP-TIDAKADA"})
    assert (unknown.status, unknown.error_code) == (404, "voucher_not_found")
    other = client(market, "LPKEU").call(f"{PATH}/redeem", {"voucher_code": voucher})
    assert (other.status, other.error_code) == (403, "voucher_other_institution")
    forged = GatewayClient("lpdigi-lp", "kunci-salah", WsgiTransport(market.app))
    assert forged.call(f"{PATH}/redeem", {"voucher_code": voucher}).status == 401
    assert client(market, "LPDIGI").call(f"{PATH}/redeem", {"kode": voucher}).status == 400


def test_racing_redeems_of_one_voucher_use_it_once(market):
    voucher = sold_voucher(market)
    lp = client(market, "LPDIGI")
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(lambda _: lp.call(f"{PATH}/redeem", {"voucher_code": voucher}), range(8))
        )
    assert sorted(answer.status for answer in answers) == [200] + [409] * 7
