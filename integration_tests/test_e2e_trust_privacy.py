"""Issue 28, record data in logs, through main.py against the sandbox: warnings and errors that mention an answer
describe its shape (keys, list sizes, status), never its records. Reads of streams whose records carry names and
e-mail addresses, with answers that make the connector warn or fail about them, print none of those values in a
LOG message or a TRACE message (the TRACE's stack_trace field aside)."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Set

import pytest

from trust_harness import Run, Sandbox, catalog_for, hostile_sandbox, names_stream, no_traceback, run_bounded

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

SANDBOX_ARGS = ("--seed", "287", "--tickets", "60", "--rate-limit", "0", "--export-rate-limit", "0")
PERSONAL_FIELDS = ("name", "email", "phone", "forwarding_status", "alias", "username")
SHORTEST = 6  # shorter values ("Bob", "en") are words that logs use anyway


@pytest.fixture(scope="module")
def hostile():
    with hostile_sandbox(*SANDBOX_ARGS) as sandbox:
        yield sandbox


def _personal_values(records: Iterable[Dict[str, Any]]) -> Set[str]:
    values = set()
    for record in records:
        for key, value in record.items():
            if isinstance(value, str) and len(value) >= SHORTEST and (key in PERSONAL_FIELDS or "@" in value):
                values.add(value)
    return values


def _user_texts(run: Run) -> List[str]:
    """What a user reads: every LOG message, and every TRACE but its stack_trace."""
    texts = run.logs()
    for trace in run.of_type("TRACE"):
        body = trace["trace"]
        error = body.get("error") or {}
        texts += [str(error.get("message") or ""), str(error.get("internal_message") or "")]
        if body.get("type") != "ERROR":
            texts.append(str(body))
    return texts


def _leaked(run: Run, values: Set[str]) -> List[str]:
    return [f"{value!r} in {text[:300]}" for text in _user_texts(run) for value in values if value in text]


def _read(sandbox: Sandbox, names, spec: str, **config) -> Run:
    sandbox.faults(spec)
    return run_bounded("read", {**sandbox.config, **config}, catalog_for(sandbox.streams, names), deadline=120)


def test_a_list_answer_without_a_count_is_described_by_its_shape(hostile):
    """The row estimate of a paged list comes from its offset page of one record: without its count, the warning
    used to quote that page, the record with it."""
    run = _read(hostile, ["recipient_addresses"], "no-count:/api/v2/recipient_addresses*:count=5", page_size=1)
    assert run.stopped is None and run.returncode == 0 and no_traceback(run), run.describe()
    values = _personal_values(run.records["recipient_addresses"])
    assert values, "the stream has no personal data to look for"
    warned = [line for line in run.logs("WARN") if "no row estimate" in line]
    assert warned and all("recipient_addresses" in line and "1 record" in line for line in warned), run.logs("WARN")
    assert not _leaked(run, values), _leaked(run, values)


def test_a_failure_on_an_answer_full_of_records_names_its_shape_not_its_records(hostile):
    """An unexpected status whose body is a page of users: the error says the status and the body's shape."""
    clean = _read(hostile, ["users"], "")
    values = _personal_values(clean.records["users"])
    assert values, "the stream has no personal data to look for"
    run = _read(hostile, ["users"], "echo-auth:/api/v2/incremental/users*:status=418:field=note:count=20")
    assert run.stopped is None and run.returncode != 0 and names_stream(run, "users"), run.describe()
    assert no_traceback(run), run.describe()
    assert any("HTTP 418" in message for message in run.error_messages()), run.describe()
    assert not _leaked(run, values), _leaked(run, values)


@pytest.mark.parametrize(
    "spec",
    [
        "array-body:/api/v2/incremental/users*:count=20",
        "deep-record:/api/v2/incremental/users*:count=20",
        "echo-auth:/api/v2/incremental/users*:status=422:field=note:count=20",
    ],
)
def test_a_users_read_failing_on_a_hostile_answer_prints_no_personal_data(hostile, spec):
    clean = _read(hostile, ["users"], "")
    values = _personal_values(clean.records["users"])
    run = _read(hostile, ["users"], spec)
    assert run.stopped is None and names_stream(run, "users") and no_traceback(run), run.describe()
    assert not _leaked(run, values), _leaked(run, values)
