"""The partner client signs a refused replay anew: two gunicorn workers of one storefront can
send the very same send-otp in the same second (one buyer buying the same schedule twice in a
row), and each worker only knows its own stamps. Found by the load bench: 45 % of storefront
checkouts refused "Permintaan ini sudah pernah diterima (replay)"."""

from __future__ import annotations

from prakerja_gateway.client import (
    REPLAY_RETRIES,
    REPLAY_SPREAD_SECONDS,
    GatewayClient,
    GatewayResponse,
)

REPLAY = GatewayResponse(401, {"code": "ERRAUTH40107", "success": False}, {})
OK = GatewayResponse(200, {"success": True, "data": {}}, {})


class Gateway:
    """Answers from a script; remembers the stamps and signatures it was sent."""

    def __init__(self, *answers: GatewayResponse):
        self.answers, self.seen = list(answers), []

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> GatewayResponse:
        self.seen.append((headers["timestamp"], headers["signature"]))
        return self.answers.pop(0)

    def get(self, path: str, headers: dict[str, str]) -> GatewayResponse:
        raise AssertionError("not used")


def test_a_refused_replay_is_signed_again_with_a_later_stamp():
    gateway = Gateway(REPLAY, OK)
    answer = GatewayClient("toko", "sk", gateway).call("/x/retry-later", {"a": 1})
    assert answer.ok
    (first_stamp, first_signature), (second_stamp, second_signature) = gateway.seen
    assert int(second_stamp) > int(first_stamp) and second_signature != first_signature


def test_retries_are_bounded_and_a_given_timestamp_is_never_changed():
    gateway = Gateway(*[REPLAY] * REPLAY_RETRIES)
    client = GatewayClient("toko", "sk", gateway)
    assert client.call("/x/always-replayed", {"a": 2}).error_code == "ERRAUTH40107"
    assert len(gateway.seen) == REPLAY_RETRIES
    pinned = Gateway(REPLAY)
    answer = GatewayClient("toko", "sk", pinned).call(
        "/x/pinned", {"a": 3}, timestamp=1_700_000_000
    )
    assert answer.error_code == "ERRAUTH40107" and pinned.seen[0][0] == "1700000000"


def test_a_retry_takes_a_random_free_second_inside_the_window(monkeypatch):
    """Another worker that sent the same request steps through the same next seconds: retries
    one second apart kept colliding with it (2-3 % of storefront card steps in the bench)."""
    now = 1_800_000_000
    monkeypatch.setattr("prakerja_gateway.client.time.time", lambda: now)
    first_retries = set()
    for body in range(40):
        gateway = Gateway(*[REPLAY] * REPLAY_RETRIES)
        GatewayClient("toko", "sk", gateway).call("/x/spread", {"n": body})
        stamps = [int(stamp) for stamp, _ in gateway.seen]
        assert stamps[0] == now and len(set(stamps)) == len(stamps)
        assert all(now < stamp <= now + REPLAY_SPREAD_SECONDS for stamp in stamps[1:])
        assert REPLAY_SPREAD_SECONDS < 300 - 30  # the gateway's window, with room to spare
        first_retries.add(stamps[1])
    assert len(first_retries) > 10  # not one fixed step that the other worker takes too


def test_the_same_request_again_gets_the_next_free_second(monkeypatch):
    now = 1_800_000_100
    monkeypatch.setattr("prakerja_gateway.client.time.time", lambda: now)
    gateway = Gateway(OK, OK, OK)
    client = GatewayClient("toko", "sk", gateway)
    for _ in range(3):
        client.call("/x/again", {"same": True})
    assert [int(stamp) for stamp, _ in gateway.seen] == [now, now + 1, now + 2]
