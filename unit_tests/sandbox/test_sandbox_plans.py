"""Plans and features: gated endpoints answer 403/404 as Zendesk does, and the summary counts them as 0."""

import pytest

from sandbox_client import Client
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket

FORBIDDEN = {
    "error": "Forbidden",
    "description": "You do not have access to this page. Please contact the "
    "account owner of this help desk for further help.",
}


@pytest.fixture(scope="module")
def team():
    with running_sandbox(
        "--tickets", "40", "--plan", "team", "--features", "ticket_forms", "--rate-limit", "0"
    ) as info:
        yield Client(info)


@pytest.fixture(scope="module")
def professional():
    with running_sandbox("--tickets", "40", "--plan", "professional", "--rate-limit", "0") as info:
        yield Client(info)


@pytest.mark.parametrize(
    "path,status,body",
    [
        ("/api/v2/business_hours/schedules", 404, {"error": "InvalidEndpoint", "description": "Not found"}),
        ("/api/v2/slas/policies", 403, FORBIDDEN),
        ("/api/v2/audit_logs", 403, FORBIDDEN),
        ("/api/v2/custom_roles", 403, FORBIDDEN),
        ("/api/v2/routing/attributes", 403, FORBIDDEN),
        ("/api/v2/satisfaction_ratings", 403, FORBIDDEN),  # csat feature off
    ],
)
def test_team_plan_gates(team, path, status, body):
    r = team.get(path, expect=status)
    assert r.json() == body


def test_team_summary_counts_gated_endpoints_as_zero(team):
    res = team.summary()["resources"]
    assert res["schedules"]["endpoints"]["/api/v2/business_hours/schedules"] == 0
    assert res["audit_logs"]["endpoints"]["/api/v2/audit_logs"] == 0
    assert res["sla_policies"]["endpoints"]["/api/v2/slas/policies"] == 0
    assert res["satisfaction_ratings"]["endpoints"]["/api/v2/satisfaction_ratings"] == 0
    assert res["custom_roles"]["total"] > 0  # the records exist, the plan hides them


def test_professional_has_slas_and_schedules_but_not_enterprise_features(professional):
    assert professional.json("/api/v2/slas/policies")["next_page"] is None
    assert professional.json("/api/v2/business_hours/schedules")["schedules"]
    professional.get("/api/v2/audit_logs", expect=403)
    professional.get("/api/v2/custom_roles", expect=403)


def test_side_conversations_off_gives_empty_html_403():
    with running_sandbox("--tickets", "20", "--features", "csat", "--rate-limit", "0") as info:
        r = Client(info).get("/api/v2/tickets/1/side_conversations", expect=403)
        assert r.text == "" and r.headers["Content-Type"].startswith("text/html")
        Client(info).get("/api/v2/ticket_forms", expect=403)
