"""``BareCheckoutUser``: send-otp, the OTP read from the SMS table, authorize, on the bare app
(``app.py``), each response checked; one fresh seeded card per checkout.

    locust -f loadtests/bare/locustfile.py --headless -u 16 -r 16 -t 20s \
        --host http://127.0.0.1:8000 --cards 50000 BareCheckoutUser

Cards come from one counter per Locust process (run it with one process, as the benchmark
does). ``--bare-summary-json`` writes the successful checkouts, the elapsed time, authorize's
p50/p99 and the failures at quit, from the live figures (Locust's ``--csv`` files are rewritten
only once a second, so their last counts can lag the end of the run); with ``--warm-up
SECONDS``, those after the warm-up.
"""

from __future__ import annotations

import itertools
import json
import uuid

from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

from loadtests import _run_time, _warm_up  # noqa: F401  (their listeners)
from loadtests.bare.app import PRICE, card_number, phone

CHECKOUT_STEP = "bare: authorize"
_cards: dict[str, itertools.count] = {}


@events.init_command_line_parser.add_listener
def add_options(parser) -> None:
    group = parser.add_argument_group("Bare ceiling")
    group.add_argument("--first-card", type=int, default=0, env_var="BARE_FIRST_CARD")
    group.add_argument("--cards", type=int, default=10_000, env_var="BARE_CARDS")
    group.add_argument("--bare-summary-json", default="", env_var="BARE_SUMMARY_JSON")


class BareCheckoutUser(FastHttpUser):
    wait_time = constant(0)

    def expect(self, method: str, path: str, name: str, **kwargs):
        """One request, checked; its JSON, or None when it failed."""
        with self.client.request(method, path, name=name, catch_response=True, **kwargs) as resp:
            if resp.status_code != 200:
                resp.failure(f"HTTP {resp.status_code} {resp.text[:80]}")
                return None
            resp.success()
            return resp.json()

    @task
    def checkout(self) -> None:
        i = _next_card(self.environment.parsed_options)
        if i is None:
            self.environment.events.request.fire(
                request_type="FLOW", name="bare: cards", response_time=0, response_length=0,
                exception=RuntimeError("seeded cards used up"), context={},
            )  # fmt: skip
            raise StopUser()
        opened = self.expect(
            "POST", "/send-otp", "bare: send-otp", json={"card_number": card_number(i),
                                                        "amount": PRICE}
        )  # fmt: skip
        sms = opened and self.expect("GET", "/sms", "bare: read SMS", params={"phone": phone(i)})
        if sms:
            invoice = f"BARE-{uuid.uuid4().hex}"
            self.expect(
                "POST", "/authorize", CHECKOUT_STEP,
                json={"token": opened["token"], "otp": sms["otp"], "invoice": invoice},
            )  # fmt: skip


def _next_card(options) -> int | None:
    counter = _cards.setdefault("next", itertools.count(options.first_card))
    i = next(counter)
    return i if i < options.first_card + options.cards else None


@events.quitting.add_listener
def write_summary(environment, **_kwargs) -> None:
    path = environment.parsed_options.bare_summary_json
    if not path:
        return
    entry = environment.stats.get(CHECKOUT_STEP, "POST")
    total = environment.stats.total
    elapsed = max((total.last_request_timestamp or total.start_time) - total.start_time, 0.001)
    figures = {
        "checkouts": entry.num_requests - entry.num_failures,
        "seconds": elapsed,  # from the first request to the last one answered, drain included
        "p50": entry.get_response_time_percentile(0.5),  # of the authorize step
        "p99": entry.get_response_time_percentile(0.99),
        "failures": total.num_failures,
    }
    with open(path, "w") as summary:
        json.dump(figures, summary)
