"""Issue 28, through main.py against the sandbox: a link or redirect written so that two URL parsers disagree on
its host never carries the account's credentials to the other one; an uppercase scheme is as absolute as a
lowercase one; and a 403/404 after a stream's first page fails that stream by name instead of passing for a plan
gate, while the other streams go on."""

from __future__ import annotations

import pytest

from trust_harness import (
    Sandbox,
    hostile_sandbox,
    catalog_for,
    leaks,
    names_stream,
    no_traceback,
    other_origin,
    run_bounded,
    secrets_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

SANDBOX_ARGS = ("--seed", "28", "--tickets", "120", "--rate-limit", "0", "--export-rate-limit", "0")
PLAN_GATE_WORDS = "plan"  # what the skip warning of a plan-gated stream says


@pytest.fixture(scope="module")
def hostile():
    with hostile_sandbox(*SANDBOX_ARGS) as sandbox:
        yield sandbox


def _read(sandbox: Sandbox, names, spec: str, **config):
    sandbox.faults(spec)
    return run_bounded("read", {**sandbox.config, **config}, catalog_for(sandbox.streams, names), deadline=90)


def _failed_by_name_without_a_traceback(run, stream: str) -> None:
    assert run.stopped is None and run.returncode != 0, run.describe()
    assert names_stream(run, stream) and run.statuses(stream)[-1:] == ["INCOMPLETE"], run.describe()
    assert no_traceback(run), run.describe()
    assert not any("unexpected error" in message.lower() for message in run.error_messages()), run.describe()


def _ids(run, stream: str) -> set:
    return {record["id"] for record in run.records[stream]}


@pytest.mark.parametrize("disguise", ["backslash", "percent-at", "fullwidth-at"])
def test_a_disguised_next_link_carries_no_credentials_to_the_other_port(hostile, disguise):
    with other_origin() as elsewhere:
        run = _read(
            hostile,
            ["groups", "tags"],
            f"foreign-link:/api/v2/groups*:port={elsewhere.port}:disguise={disguise}:count=1",
        )
        assert not elsewhere.seen, elsewhere.seen
    _failed_by_name_without_a_traceback(run, "groups")
    assert len(_ids(run, "groups")) > 0 and run.statuses("tags")[-1:] == ["COMPLETE"], run.describe()
    assert not leaks(run, secrets_of(hostile.config))


@pytest.mark.parametrize("disguise", ["backslash", "percent-at"])
def test_a_disguised_redirect_carries_no_credentials_to_the_other_port(hostile, disguise):
    with other_origin() as elsewhere:
        run = _read(hostile, ["groups"], f"redirect:/api/v2/groups*:port={elsewhere.port}:disguise={disguise}")
        assert not elsewhere.seen, elsewhere.seen
    _failed_by_name_without_a_traceback(run, "groups")
    assert any("redirect" in message.lower() for message in run.error_messages()), run.describe()


def test_an_uppercase_scheme_link_is_followed_on_the_configured_origin(hostile):
    """`HTTP://host:port/api/v2/...` is absolute: read as a relative path it 404s and the stream passed for
    plan-gated."""
    expected = hostile.expected("groups", "/api/v2/groups")
    run = _read(hostile, ["groups"], "foreign-link:/api/v2/groups*:disguise=upper-scheme:count=1", page_size=1)
    assert run.stopped is None and run.returncode == 0, run.describe()
    assert len(_ids(run, "groups")) == expected, run.describe()
    assert not any(PLAN_GATE_WORDS in line for line in run.logs("WARN")), run.describe()


def test_a_404_after_the_first_page_fails_the_stream_and_is_no_plan_gate(hostile):
    run = _read(
        hostile, ["groups", "tags"], "foreign-link:/api/v2/groups*:link_path=/api/v2/groups_gone:count=1", page_size=1
    )
    _failed_by_name_without_a_traceback(run, "groups")
    assert any("HTTP 404" in message and "/api/v2/groups_gone" in message for message in run.error_messages()), (
        run.describe()
    )
    assert not any(PLAN_GATE_WORDS in line for line in run.logs("WARN")), run.describe()
    assert run.statuses("tags")[-1:] == ["COMPLETE"], run.describe()
