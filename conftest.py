"""Parallel runs (`make test`: pytest-xdist, `--dist loadgroup`): which tests must share a worker.

A test that uses a module- or class-scoped fixture (a sandbox started once for its module, a sync read once and
asserted on by several tests) runs on the worker that holds that fixture, so its module's tests stay together and
nothing is started twice. A test with only function- and session-scoped fixtures goes to whichever worker is free;
a session fixture (the standard suite's sandbox, PostgreSQL) then starts once per worker that needs it, each on
its own port and temporary directory. A module may name its group itself (`pytest.mark.xdist_group`), as the
analytics tests do: they share one dbt project directory.
"""

from __future__ import annotations

import pytest

WORKER_BOUND_SCOPES = ("module", "class", "package")


def _holds_a_shared_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        definition.scope in WORKER_BOUND_SCOPES
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups off the items
def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("xdist_group") is None and _holds_a_shared_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
