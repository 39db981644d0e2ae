"""The count endpoints (tables/counts.py): Zendesk's shape, and the number of records the matching list serves."""

from __future__ import annotations

import pytest

from sandbox_client import Client
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket


@pytest.fixture(scope="module")
def client():
    with running_sandbox("--seed", "3", "--tickets", "300", "--plan", "enterprise") as info:
        yield Client(info)


@pytest.mark.parametrize(
    "count_path, resource, list_path",
    [
        ("/api/v2/users/count", "users", "/api/v2/users"),
        ("/api/v2/organizations/count", "organizations", "/api/v2/organizations"),
        ("/api/v2/satisfaction_ratings/count", "satisfaction_ratings", "/api/v2/satisfaction_ratings"),
        ("/api/v2/activities/count", "ticket_activities", "/api/v2/activities"),
    ],
)
def test_a_count_is_what_its_list_serves(client, count_path, resource, list_path):
    count = client.json(count_path)["count"]
    assert set(count) == {"value", "refreshed_at"} and count["refreshed_at"].endswith("+00:00")
    assert count["value"] == client.summary()["resources"][resource]["endpoints"][list_path] > 0
