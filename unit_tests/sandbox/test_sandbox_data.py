"""Properties of the generated account: the summary's resources, realistic quirks of the data, stats."""

import calendar
import time

import pytest
import requests

from sandbox_client import Client
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket

REQUIRED_RESOURCES = """tickets users user_identities organizations groups group_memberships organization_memberships
ticket_fields user_fields organization_fields ticket_forms ticket_comments ticket_audits ticket_events ticket_metrics
ticket_metric_events ticket_activities ticket_skips satisfaction_ratings deleted_tickets side_conversations brands tags
macros triggers automations views sla_policies schedules schedule_holidays custom_roles custom_ticket_statuses
audit_logs account_attributes attribute_definitions suspended_tickets requests targets sharing_agreements
recipient_addresses dynamic_content ticket_form_agent_conditions ticket_form_end_user_conditions brand_agents
deletion_schedules group_sla_policies locales macro_categories organization_subscriptions queues satisfaction_reasons
target_failures ticket_form_statuses trigger_categories workspaces resource_collections approval_requests
monitored_twitter_handles task_list_templates account_settings""".split()


def epoch(iso: str) -> int:
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


@pytest.fixture(scope="module")
def client():
    with running_sandbox(
        "--tickets", "400", "--seed", "7", "--rate-limit", "0", "--export-rate-limit", "100000"
    ) as info:
        yield Client(info)


def test_summary_lists_every_resource(client):
    summary = client.summary()
    assert set(REQUIRED_RESOURCES) <= set(summary["resources"])
    for name, r in summary["resources"].items():
        assert {"total", "live", "archived", "deleted", "endpoints"} <= set(r), name
        assert all(path.startswith("/api/v2/") for path in r["endpoints"]), name
    assert summary["account"]["plan"] == "enterprise" and summary["account"]["now"].endswith("Z")


def test_history_is_in_the_past_and_shares_seconds(client):
    tickets, _ = client.walk_time_export("/api/v2/incremental/tickets", "tickets")
    now = time.time()
    assert all(t["generated_timestamp"] < now - 60 for t in tickets)
    stamps = [t["generated_timestamp"] for t in tickets]
    assert len(set(stamps)) < len(stamps) / 2, "records come in bursts that share a second"


def test_system_updates_move_generated_timestamp_only(client):
    tickets, _ = client.walk_time_export("/api/v2/incremental/tickets", "tickets")
    moved = [t for t in tickets if t["generated_timestamp"] > epoch(t["updated_at"])]
    assert moved, "some tickets were last touched by an automation"
    assert all(t["generated_timestamp"] >= epoch(t["updated_at"]) for t in tickets)


def test_metric_events_can_be_newer_than_the_ticket(client):
    tickets = {t["id"]: t for t in client.walk_time_export("/api/v2/incremental/tickets", "tickets")[0]}
    events, _ = client.walk_time_export("/api/v2/incremental/ticket_metric_events", "ticket_metric_events")
    breaches = [e for e in events if e["type"] == "breach"]
    assert breaches and any(e["time"] > tickets[e["ticket_id"]]["updated_at"] for e in breaches)
    assert all("created_at" not in e and "updated_at" not in e for e in events)


def test_every_custom_field_type_has_values(client):
    fields = {f["id"]: f["type"] for f in client.json("/api/v2/ticket_fields")["ticket_fields"]}
    wanted = {"text", "textarea", "checkbox", "date", "integer", "decimal", "regexp", "tagger", "multiselect", "lookup"}
    assert wanted <= set(fields.values())
    tickets = client.json("/api/v2/tickets", {"page[size]": 100})["tickets"]
    seen = {fields[cf["id"]] for t in tickets for cf in t["custom_fields"] if cf["value"] not in (None, "")}
    assert wanted <= seen
    multiselect = [cf["value"] for t in tickets for cf in t["custom_fields"] if fields[cf["id"]] == "multiselect"]
    assert all(v is None or isinstance(v, list) for v in multiselect)


def test_people_and_deletion_markers(client):
    users, _ = client.walk_time_export("/api/v2/incremental/users", "users")
    roles = {u["role"] for u in users}
    assert roles == {"admin", "agent", "end-user"}
    deleted = [u for u in users if not u["active"]]
    assert deleted and all(u["email"] is None for u in deleted)
    orgs, _ = client.walk_time_export("/api/v2/incremental/organizations", "organizations")
    gone = [o for o in orgs if o["deleted_at"]]
    assert gone and all(o["name"].startswith(f"{o['id']}_deleted_") for o in gone)
    listed = {o["id"] for o in client.walk_cursor("/api/v2/organizations", "organizations")}
    assert not listed & {o["id"] for o in gone}


def test_stats_count_requests_per_template(client):
    requests.post(client.url + "/_sandbox/stats/reset", json={}, timeout=10)
    client.get("/api/v2/tickets/1/comments.json")
    client.get("/api/v2/tickets/2/comments")
    client.get("/api/v2/nope", expect=404)
    stats = requests.get(client.url + "/_sandbox/stats", timeout=10).json()
    assert stats["paths"]["/api/v2/tickets/{ticket_id}/comments"] == {"200": 2}
    assert stats["paths"]["/api/v2/nope"] == {"404": 1}
    requests.post(client.url + "/_sandbox/stats/reset", json={}, timeout=10)
    assert requests.get(client.url + "/_sandbox/stats", timeout=10).json()["total"] == 0


def test_concurrent_clients(client):
    from concurrent.futures import ThreadPoolExecutor

    def fetch(n):
        return Client(client.info).json("/api/v2/incremental/tickets/cursor", {"start_time": 0, "per_page": 100})[
            "tickets"
        ][0]["id"]

    with ThreadPoolExecutor(8) as pool:
        assert len(set(pool.map(fetch, range(32)))) == 1


def test_audit_log_filters_and_sort(client):
    logs = client.walk_cursor("/api/v2/audit_logs", "audit_logs")
    stamps = [r["created_at"] for r in logs]
    assert stamps == sorted(stamps, reverse=True)  # newest first by default
    ascending = client.walk_cursor("/api/v2/audit_logs", "audit_logs", {"sort": "created_at"})
    assert [r["id"] for r in ascending] == [r["id"] for r in logs][::-1]
    lo, hi = sorted(stamps)[5], sorted(stamps)[15]
    window = client.json("/api/v2/audit_logs", {"filter[created_at][]": [lo, hi]})["audit_logs"]
    assert len(window) == 11 and all(lo <= r["created_at"] <= hi for r in window)
    kind = logs[0]["source_type"]
    assert all(
        r["source_type"] == kind for r in client.json("/api/v2/audit_logs", {"filter[source_type]": kind})["audit_logs"]
    )


def test_ticket_forms_carry_conditions_on_their_own_fields_and_the_summary_counts_their_rows(client):
    forms = client.get("/api/v2/ticket_forms").json()["ticket_forms"]
    fields = {
        f["id"]: f["type"] for f in client.get("/api/v2/ticket_fields", {"page[size]": 100}).json()["ticket_fields"]
    }
    rows = {"agent_conditions": 0, "end_user_conditions": 0}
    for form in forms:
        for key in rows:
            for condition in form[key]:
                assert fields[condition["parent_field_id"]] in ("checkbox", "tagger"), condition
                assert condition["parent_field_id"] in form["ticket_field_ids"]
                for child in condition["child_fields"]:
                    assert child["id"] in form["ticket_field_ids"] and isinstance(child["is_required"], bool)
                    if key == "agent_conditions":
                        kind = child["required_on_statuses"]["type"]
                        assert kind in ("ALL_STATUSES", "SOME_STATUSES", "NO_STATUSES")
                        assert ("statuses" in child["required_on_statuses"]) == (kind == "SOME_STATUSES")
                rows[key] += len(condition["child_fields"])
    assert rows["agent_conditions"] > rows["end_user_conditions"] > 0
    resources = client.summary()["resources"]
    assert resources["ticket_form_agent_conditions"]["endpoints"] == {"/api/v2/ticket_forms": rows["agent_conditions"]}
    assert resources["ticket_form_end_user_conditions"]["endpoints"] == {
        "/api/v2/ticket_forms": rows["end_user_conditions"]
    }
