"""Locust looks up in place only a host that needs no DNS server (loadtests._resolving)."""

from __future__ import annotations

import pytest

from loadtests._lookup import resolves_in_place


@pytest.mark.parametrize(
    "host",
    [
        "http://127.0.0.1:8000",
        "http://localhost:5000",
        "http://LOCALHOST",
        "http://[::1]:8000",
        "https://10.0.0.7",
    ],
)
def test_addresses_and_local_names_are_looked_up_in_place(host):
    assert resolves_in_place(host)


@pytest.mark.parametrize(
    "host",
    ["http://gateway.example.test:8000", "http://simulator", "", None, "http://[::1", "nohost"],
)
def test_any_other_host_keeps_gevents_own_resolver(host):
    assert not resolves_in_place(host)
