"""``--run-time`` counted from the start of the run, not from when gevent's loop last looked at
the clock.

Locust starts its run-time timer with ``gevent.spawn_later``, which counts from the loop's
cached "now": the time of its last iteration. Until the run starts the loop has not iterated
since it was made, early in Locust's start-up, so everything in between (importing the
locustfiles, our app's packages among them) is counted against the run time. On a busy
machine that took more than the whole run: in CI, a 4 s smoke run logged "Run time limit set
to 4 seconds" and "--run-time limit reached" 4 ms apart, before any user started. So, at
``init`` (the last hook before Locust starts the timer), the loop reads the clock again.
"""

from __future__ import annotations

import gevent
from locust import events


@events.init.add_listener
def read_the_clock_again(**_kwargs) -> None:
    gevent.get_hub().loop.update_now()
