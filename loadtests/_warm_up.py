"""``--warm-up SECONDS``: the first seconds of a run are not in its figures.

At the start of a run every user arrives at once: with 16 users on 2 workers, the first
requests wait behind each other and behind the workers' first, slower requests (statement and
template caches still empty), and that one crowd can set the p99 of a short run on its own. So,
once the warm-up is over, Locust's statistics restart (as its own ``--reset-stats`` does when
spawning ends, but at a set time, which a run whose users all start at once needs): the rates,
percentiles, CSV and HTML reports then describe the steady state.

Nothing is lost to the verdict: it counts checkouts, failures and 5xx answers over the whole
run by itself (``_verdict``), so payments captured during the warm-up are still matched one to
one, and a failure during the warm-up still fails the run.
"""

from __future__ import annotations

import logging

import gevent
from locust import events
from locust.runners import (
    STATE_CLEANUP,
    STATE_STOPPED,
    STATE_STOPPING,
    MasterRunner,
    WorkerRunner,
)

log = logging.getLogger("prakerja.loadtest")
RESTART = "prakerja_restart_stats"  # master to workers: the warm-up is over
_pending: list[gevent.Greenlet] = []  # the end of the running test's warm-up, until it comes


@events.init_command_line_parser.add_listener
def add_option(parser) -> None:
    parser.add_argument(
        "--warm-up",
        type=float,
        default=0.0,
        env_var="LOCUST_WARM_UP",
        help="Seconds from the start whose requests are left out of the statistics "
        "(the verdict still judges the whole run). Default 0: none.",
    )


@events.init.add_listener
def listen_on_workers(environment, **_kwargs) -> None:
    if isinstance(environment.runner, WorkerRunner):
        environment.runner.register_message(RESTART, _restart_worker_stats)


@events.test_start.add_listener
def schedule_end_of_warm_up(environment, **_kwargs) -> None:
    forget_warm_up()
    seconds = getattr(environment.parsed_options, "warm_up", 0.0) or 0.0
    if seconds <= 0 or isinstance(environment.runner, WorkerRunner):
        return  # the master (or the only process) keeps the time
    _pending.append(gevent.spawn_later(seconds, end_warm_up, environment, seconds))


@events.test_stop.add_listener
def forget_warm_up(**_kwargs) -> None:
    """A test stopped (from the web UI) before its warm-up ended: the next one has its own."""
    while _pending:
        _pending.pop().kill(block=False)


def end_warm_up(environment, seconds: float) -> None:
    runner = environment.runner
    if runner is None or runner.state in (STATE_STOPPING, STATE_STOPPED, STATE_CLEANUP):
        return
    log.info("warm-up of %g s over: statistics restart", seconds)
    if isinstance(runner, MasterRunner):
        # A worker sends what it measured every few seconds: what it holds unsent it drops
        # itself, a moment after the master (a report already on its way still counts).
        runner.send_message(RESTART)
    runner.stats.reset_all()
    environment.events.reset_stats.fire()


def _restart_worker_stats(environment, msg, **_kwargs) -> None:
    environment.runner.stats.reset_all()
