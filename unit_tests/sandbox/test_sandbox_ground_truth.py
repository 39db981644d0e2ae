"""/_sandbox/summary's per-endpoint counts come from the endpoint tables: each row's `count`, 0 where the plan
gate refuses the path. (The walks in test_sandbox_walks.py and test_products_*.py check the counts themselves
against what a client reads.)"""

from zendesk_sandbox.server import control
from zendesk_sandbox.foundation.clock import SandboxClock
from zendesk_sandbox.data.account import Account
from zendesk_sandbox.foundation.settings import SandboxSettings
from zendesk_sandbox.tables.combined import ENDPOINT_TABLES

# Counts a row cannot carry: the search export lists several resources, attachments come inside the records of
# the comment, audit and ticket-event endpoints, and form conditions inside the ticket forms.
SEARCH_EXPORT = "/api/v2/search/export"
NESTED = {"ticket_attachments", "ticket_form_agent_conditions", "ticket_form_end_user_conditions"}


def account(plan: str, features: list) -> Account:
    return Account(SandboxSettings(tickets=300, seed=3, plan=plan, features=features), SandboxClock(1), "http://sbx")


def counted_rows():
    return [row for table in ENDPOINT_TABLES for row in table if row.count is not None]


def test_every_endpoint_count_of_the_summary_is_a_row_count():
    for plan, features in (("enterprise", ["csat", "ticket_forms", "help_center", "talk", "chat"]), ("team", [])):
        generated = account(plan, features)
        resources = control.summary(generated)["resources"]
        reported = {
            (name, path)
            for name, resource in resources.items()
            for path in resource["endpoints"]
            if path != SEARCH_EXPORT and name not in NESTED
        }
        assert reported == {(row.resource, row.path) for row in counted_rows()}
        refused = set()
        for row in counted_rows():
            gated = row.gate is not None and row.gate(generated.settings) is not None
            if gated:
                refused.add(row.path)
            assert resources[row.resource]["endpoints"][row.path] == (0 if gated else row.count(generated)), row.path
        if plan == "enterprise":
            assert refused == {  # features not in the list
                "/api/v2/tickets/{ticket_id}/side_conversations",
                "/api/v2/agent_availabilities",
                "/api/v2/agent_availabilities/agent_statuses",
            }
        else:
            assert {
                "/api/v2/audit_logs",
                "/api/v2/satisfaction_ratings",
                "/api/v2/help_center/incremental/articles",
                "/api/v2/channels/voice/stats/incremental/calls",
                "/api/v2/chat/incremental/chats",
            } <= refused
