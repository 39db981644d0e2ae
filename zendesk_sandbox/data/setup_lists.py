"""Short lists of the account's setup that only their own endpoints serve: brand agents, deletion schedules, group
SLA policies, locales, organization subscriptions, omnichannel queues, satisfaction reasons, target failures, ticket
form statuses, trigger categories, workspaces, resource collections, approval requests, monitored X handles and
task list templates. Built eagerly from the configuration objects and people: tens of records, not millions."""

from __future__ import annotations

from . import ids
from .config_objects import K_CATEGORY
from .pools import mix
from .timeline import iso

KIND_SETUP = 47
# Kind numbers of these collections' ids, apart from the configuration objects' (config_objects.py)
K_BRAND_AGENT, K_DELETION, K_GROUP_SLA, K_ORG_SUB, K_QUEUE, K_REASON, K_FAILURE, K_FORM_STATUS = range(60, 68)
K_WORKSPACE, K_COLLECTION, K_APPROVAL, K_HANDLE, K_TASK_LIST = range(68, 73)
K_TEMPLATE_TASK = 73

# Zendesk's translation locales: (id, locale, name)
LOCALES = [(1, "en-US", "English"), (8, "de", "Deutsch"), (16, "fr", "Français"), (2, "es", "Español")]
# Zendesk's standard satisfaction reasons: (reason_code, value); code 0 is always there
REASONS = [
    (0, "No reason provided"),
    (5, "The issue took too long to resolve"),
    (6, "The issue was not resolved"),
    (7, "The agent's knowledge is unsatisfactory"),
    (8, "The agent's attitude is unsatisfactory"),
    (100, "Some other reason"),
]
ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class SetupLists:
    def __init__(self, account):
        self.account = account
        self.base = account.base_url
        self.seed = account.settings.seed
        self.t0, self.t1 = account.history_start, account.anchor
        config, users = account.config, account.users
        agents = [ids.USER + k for k in range(1, users.n_agents + 1)]
        # every agent works in the default brand, every other one in each further brand too
        memberships = [
            (user_id, brand["id"])
            for user_id in agents
            for k, brand in enumerate(config.brands)
            if k == 0 or (user_id + k) % 2 == 0
        ]
        self.brand_agents = [
            self._brand_agent(n, user_id, brand_id) for n, (user_id, brand_id) in enumerate(memberships, 1)
        ]
        self.deletion_schedules = [self._deletion_schedule(n) for n in (1, 2)]
        self.group_sla_policies = [self._group_sla(n, config.groups) for n in (1, 2)]
        self.locales = [self._locale(*locale) for locale in LOCALES]
        organizations = account.settings.organizations_count
        self.organization_subscriptions = [  # subscriptions are created and deleted, never updated
            self._simple(
                K_ORG_SUB,
                n,
                {"organization_id": ids.ORGANIZATION + (n * 7) % organizations + 1, "user_id": user_id},
                updated=False,
            )
            for n, user_id in enumerate(agents[1::2], 1)
        ]
        self.queues = [self._queue(n, config.groups) for n in (1, 2, 3)]
        self.satisfaction_reasons = [self._reason(n, code, value) for n, (code, value) in enumerate(REASONS, 1)]
        self.target_failures = [
            self._target_failure(n, target)
            for n, target in enumerate((target for target in config.targets for _ in range(2)), 1)
        ]
        pairs = [(form["id"], status["id"]) for form in config.ticket_forms for status in config.custom_statuses]
        self.ticket_form_statuses = [
            {"id": self._ulid(K_FORM_STATUS, n), "ticket_form_id": form_id, "custom_status_id": status_id}
            for n, (form_id, status_id) in enumerate(pairs, 1)
        ]
        self.trigger_categories = [
            self._trigger_category(n, name) for n, name in enumerate(["Notifications", "Routing", "SLA"], 1)
        ]
        self.workspaces = [self._workspace(n, config) for n in (1, 2)]
        self.resource_collections = [self._resource_collection(n, config) for n in (1, 2)]
        self.approval_requests = [
            self._approval(n, config.groups, agents, account.settings.tickets) for n in range(1, 6)
        ]
        self.monitored_twitter_handles = [self._handle(n, config.brands[0]["id"]) for n in (1, 2)]
        self.task_list_templates = [
            self._task_list(n, name, tasks)
            for n, (name, tasks) in enumerate(
                [("Onboarding checklist", 4), ("Offboarding checklist", 3), ("Hardware refresh", 2)], 1
            )
        ]

    # ---- helpers -------------------------------------------------------------------------------
    def _ts(self, kind: int, n: int) -> tuple[str, str]:
        span = max(1, self.t1 - self.t0)
        created = self.t0 + (kind * 7919 + n * 104729) % (span // 2)
        return iso(created), iso(created + (n * 3571) % (span // 2))

    def _simple(self, kind: int, n: int, fields: dict, updated: bool = True) -> dict:
        created, changed = self._ts(kind, n)
        record = {"id": ids.config_id(kind, n), **fields, "created_at": created}
        if updated:
            record["updated_at"] = changed
        return record

    def _ulid(self, kind: int, n: int) -> str:
        """A 26-character ULID-like id, as Zendesk gives its newer objects (queues, group SLAs, form statuses)."""
        value = (
            mix(self.seed, KIND_SETUP, kind * 1000 + n) << 16 | mix(self.seed, KIND_SETUP + 1, kind * 1000 + n) & 0xFFFF
        )
        head = "01H" + "".join(ULID_ALPHABET[(kind * 31 + n * 7 + k) % 32] for k in range(7))
        return head + "".join(ULID_ALPHABET[(value >> (5 * k)) & 31] for k in range(16))

    def _url(self, path: str, record_id) -> str:
        return f"{self.base}/api/v2/{path}/{record_id}.json"

    # ---- records -------------------------------------------------------------------------------
    def _brand_agent(self, n: int, user_id: int, brand_id: int) -> dict:
        created, updated = self._ts(K_BRAND_AGENT, n)
        record_id = str(ids.config_id(K_BRAND_AGENT, n))
        return {
            "id": record_id,
            "url": self._url("brand_agents", record_id),
            "brand_id": brand_id,
            "user_id": user_id,
            "created_at": created,
            "updated_at": updated,
        }

    def _deletion_schedule(self, n: int) -> dict:
        record = self._simple(
            K_DELETION,
            n,
            {
                "title": f"Delete closed tickets after {n} year{'s' if n > 1 else ''}",
                "description": "Removes solved and closed tickets nobody touched for a long time",
                "active": n == 1,
                "default": False,
                "object": "ticket",
                "conditions": {
                    "all": [
                        {"field": "status", "operator": "is", "value": "closed"},
                        {"field": "duration_since_last_update", "operator": "greater_than", "value": f"P{n}Y"},
                    ],
                    "any": [],
                },
            },
        )
        record["url"] = self._url("deletion_schedules", record["id"])
        return record

    def _group_sla(self, n: int, groups: list) -> dict:
        created, updated = self._ts(K_GROUP_SLA, n)
        record_id = self._ulid(K_GROUP_SLA, n)
        return {
            "id": record_id,
            "url": f"{self.base}/api/v2/group_slas/policies/{record_id}",
            "title": ["Tier 1 ownership", "Escalations ownership"][n - 1],
            "description": "Each group solves or reassigns its tickets within the target",
            "position": n,
            "filter": {
                "all": [
                    {
                        "field": "group_ownership_time",
                        "operator": "includes",
                        "value": [groups[(n - 1) % len(groups)]["id"]],
                    }
                ]
            },
            "policy_metrics": [
                {
                    "priority": priority,
                    "metric": "group_ownership_time",
                    "target": target * n,
                    "business_hours": priority == "low",
                }
                for priority, target in (("urgent", 1800), ("low", 14400))
            ],
            "created_at": created,
            "updated_at": updated,
        }

    def _locale(self, locale_id: int, locale: str, name: str) -> dict:
        created, updated = self._ts(KIND_SETUP, locale_id)
        return {
            "id": locale_id,
            "url": f"{self.base}/api/v2/locales/{locale}.json",
            "locale": locale,
            "name": name,
            "created_at": created,
            "updated_at": updated,
        }

    def _queue(self, n: int, groups: list) -> dict:
        created, updated = self._ts(K_QUEUE, n)
        record_id = self._ulid(K_QUEUE, n)
        primary = [{"id": group["id"], "name": group["name"]} for group in groups[n - 1 : n + 1]]
        secondary = [{"id": groups[-1]["id"], "name": groups[-1]["name"]}] if n == 1 else []
        value = ["urgent", "high", "normal"][n - 1]
        return {
            "id": record_id,
            "url": f"{self.base}/api/v2/queues/{record_id}",
            "name": f"{value.title()} tickets",
            "description": f"Tickets of {value} priority",
            "order": n,
            "priority": n,
            "definition": {"all": [{"field": "priority", "operator": "is", "value": value}], "any": []},
            "primary_groups": {"count": len(primary), "groups": primary},
            "secondary_groups": {"count": len(secondary), "groups": secondary},
            "created_at": created,
            "updated_at": updated,
        }

    def _reason(self, n: int, code: int, value: str) -> dict:
        record = self._simple(
            K_REASON,
            n,
            {"reason_code": code, "value": value, "raw_value": value if code == 0 else "{{dc.reason_code_%d}}" % code},
        )
        if code == 100:  # a custom reason the admin retired: Zendesk keeps it with its deletion time
            record["deleted_at"] = record["updated_at"]
        record["url"] = self._url("satisfaction_reasons", record["id"])
        return record

    def _target_failure(self, n: int, target: dict) -> dict:
        created, _ = self._ts(K_FAILURE, n)
        code = [401, 500, 503][n % 3]
        return {
            "id": ids.config_id(K_FAILURE, n),
            "url": self._url("target_failures", ids.config_id(K_FAILURE, n)),
            "target_name": target["title"],
            "status_code": code,
            "consecutive_failure_count": n % 3 + 1,
            "raw_request": f'POST /hooks/{n} HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{{"ticket": {n}}}',
            "raw_response": f"HTTP/1.1 {code}\r\nContent-Length: 0\r\n\r\n",
            "created_at": created,
        }

    def _trigger_category(self, n: int, name: str) -> dict:
        created, updated = self._ts(K_CATEGORY, 100 + n)
        # the first category is the one config_objects.py files every trigger under
        return {
            "id": str(ids.config_id(K_CATEGORY, n)),
            "name": name,
            "position": n,
            "created_at": created,
            "updated_at": updated,
        }

    def _workspace(self, n: int, config) -> dict:
        form = config.ticket_forms[n % len(config.ticket_forms)]
        # Zendesk describes a selected macro's action values as text: macros whose actions set ids, tags or booleans
        # stay out
        textual = [
            macro for macro in config.macros if all(isinstance(action["value"], str) for action in macro["actions"])
        ]
        macros = textual[n - 1 : n + 1]
        record = self._simple(
            K_WORKSPACE,
            n,
            {
                "title": f"{form['name']} workspace",
                "description": f"Agents working on {form['name'].lower()} tickets",
                "activated": True,
                "position": n,
                "prefer_workspace_app_order": n == 1,
                "ticket_form_id": form["id"],
                "conditions": {
                    "all": [{"field": "ticket_form_id", "operator": "is", "value": str(form["id"])}],
                    "any": [],
                },
                "apps": [{"id": ids.config_id(K_WORKSPACE, 100 + n), "expand": False, "position": 1}],
                "macro_ids": [macro["id"] for macro in macros],
                "selected_macros": [
                    {
                        key: macro[key]
                        for key in (
                            "id",
                            "url",
                            "title",
                            "active",
                            "position",
                            "actions",
                            "description",
                            "restriction",
                            "created_at",
                            "updated_at",
                        )
                    }
                    for macro in macros
                ],
            },
        )
        record["url"] = self._url("workspaces", record["id"])
        return record

    def _resource_collection(self, n: int, config) -> dict:
        resources = [
            ("triggers", config.triggers[n]),
            ("ticket_fields", config.ticket_fields[-n]),
            ("targets", config.targets[n % len(config.targets)]),
        ]
        return self._simple(
            K_COLLECTION,
            n,
            {
                "resources": [
                    {
                        "type": kind,
                        "resource_id": record["id"],
                        "deleted": False,
                        "identifier": f"{kind.rstrip('s')}_{record['id'] % 10000}",
                    }
                    for kind, record in resources[: n + 1]
                ]
            },
        )

    def _approval(self, n: int, groups: list, agents: list, tickets: int) -> dict:
        created, _ = self._ts(K_APPROVAL, n)
        status = ["active", "approved", "rejected", "withdrawn", "active"][n - 1]
        record = {
            "id": self._ulid(K_APPROVAL, n),
            "ticket_id": (n * 37) % max(1, tickets) + 1,
            "status": status,
            "subject": ["Software licence", "New laptop", "Refund over limit", "Travel", "Contract change"][n - 1],
            "message": "Please approve this request",
            "created_at": created,
            "origination_type": "UI_ORIGINATION" if n % 2 else "API_ORIGINATION",
        }
        if n % 2:
            user_id = agents[n % len(agents)]
            record["assignee_user"] = {"id": user_id, "name": self.account.users.name(user_id - ids.USER)}
        else:
            group = groups[n % len(groups)]
            record["assignee_group"] = {"id": group["id"], "name": group["name"]}
        return record

    def _handle(self, n: int, brand_id: int) -> dict:
        name = f"{self.account.settings.subdomain}{'' if n == 1 else 'help'}"
        return self._simple(
            K_HANDLE,
            n,
            {
                "screen_name": f"@{name}",
                "name": name.title(),
                "twitter_user_id": 67462376000 + mix(self.seed, K_HANDLE, n) % 1000,
                "brand_id": brand_id,
                "allow_reply": True,
                "can_reply": n == 1,
                "avatar_url": f"https://pbs.twimg.com/profile_images/{n}/{name}.png",
            },
        )

    def template_tasks(self, template: dict) -> list[dict]:
        """The steps of a task list template, in order (/task_list_templates/{id}/tasks)."""
        n = self.task_list_templates.index(template) + 1
        out = []
        for position in range(1, template["task_count"] + 1):
            created, updated = self._ts(K_TEMPLATE_TASK, n * 100 + position)
            out.append(
                {
                    "id": self._ulid(K_TEMPLATE_TASK, n * 100 + position),
                    "name": f"{template['name']}: step {position}",
                    "description": f"Step {position} of {template['task_count']}",
                    "position": position,
                    "required": position == 1,
                    "created_at": created,
                    "updated_at": updated,
                }
            )
        return out

    def _task_list(self, n: int, name: str, tasks: int) -> dict:
        created, updated = self._ts(K_TASK_LIST, n)
        record_id = self._ulid(K_TASK_LIST, n)
        return {
            "id": record_id,
            "url": f"{self.base}/api/v2/task_list_templates/{record_id}.json",
            "name": name,
            "description": f"{name}: {tasks} steps",
            "is_active": n != 3,
            "task_count": tasks,
            "created_at": created,
            "updated_at": updated,
        }
