"""A locustfile part for the smoke tests: it holds Locust's start-up for 5 s (longer than the
run) after gevent's loop is made, as a slow import on a busy machine does."""

import gevent
from gevent import monkey

gevent.get_hub()
monkey.get_original("time", "sleep")(5)
