"""Distributed headless runs count every checkout: the workers drain before the master quits.

At ``--run-time`` a headless master calls ``runner.quit()``, which sends ``quit`` to the
workers and waits only 0.5 s for their last stats before it stops listening (locust issue
#1426). A worker first lets its users finish (up to ``--stop-timeout``), so checkouts completed
in that drain, and the last few seconds of stats, never reach the master: the verdict then saw
fewer checkouts than payments captured ("21 checkouts counted but 44 captured").

So before quitting, the master asks every worker to stop its users and send its final stats
(custom messages, Locust's documented way for nodes to talk), and waits for each answer; only
then does Locust's own ``quit`` run. Messages travel in order on one socket, so the stats
arrive before the worker's "drained".
"""

from __future__ import annotations

import logging
import time

import gevent
from locust import events
from locust.runners import MasterRunner, WorkerRunner

log = logging.getLogger("prakerja.loadtest")
DRAIN, DRAINED = "prakerja_drain", "prakerja_drained"
EXTRA_WAIT_SECONDS = 30  # beyond the stop timeout, for a slow machine


@events.init.add_listener
def install(environment, **_kwargs) -> None:
    runner = environment.runner
    if isinstance(runner, WorkerRunner):
        runner.register_message(DRAIN, _drain_worker, concurrent=True)
    elif isinstance(runner, MasterRunner):
        _quit_after_drain(environment, runner)


def _drain_worker(environment, msg, **_kwargs) -> None:
    runner = environment.runner
    runner.stop()  # each user finishes its task, within --stop-timeout
    data: dict = {}
    environment.events.report_to_master.fire(client_id=runner.client_id, data=data)
    runner.send_message("stats", data)
    runner.send_message(DRAINED)


def _quit_after_drain(environment, runner: MasterRunner) -> None:
    drained: set[str] = set()
    runner.register_message(DRAINED, lambda environment, msg, **_: drained.add(msg.node_id))
    locust_quit = runner.quit
    asked = False

    def quit() -> None:
        nonlocal asked
        if not asked:  # Locust calls quit twice (at run-time and at shutdown): drain once
            asked = True
            workers = {client.id for client in runner.clients.all}
            runner.send_message(DRAIN)
            timeout = (environment.stop_timeout or 0) + EXTRA_WAIT_SECONDS
            deadline = time.monotonic() + timeout
            while not workers <= drained and time.monotonic() < deadline:
                gevent.sleep(0.1)
            if workers <= drained:
                log.info("%d worker(s) drained and reported", len(workers))
            else:
                log.warning(
                    "%d worker(s) did not drain within %ss", len(workers - drained), timeout
                )
        locust_quit()

    runner.quit = quit
