"""Small configuration collections (groups, brands, fields, forms, rules, SLAs, schedules, ...), generated
eagerly at start-up: they hold tens of records, not millions."""

from __future__ import annotations

from typing import ClassVar

from . import ids
from .pools import mix, rng_for
from .timeline import iso

KIND_CONFIG = 31


def with_options(options):
    """Zendesk sends `custom_field_options` only on fields that have options (dropdowns, multiselects): the key is
    absent on the others, not null."""
    return {"custom_field_options": options} if options is not None else {}


# one kind number per collection, so ids never collide
K_GROUP, K_BRAND, K_TFIELD, K_UFIELD, K_OFIELD, K_FORM, K_MACRO, K_TRIGGER, K_AUTOMATION, K_VIEW = range(1, 11)
K_SLA, K_SCHEDULE, K_HOLIDAY, K_ROLE, K_STATUS, K_AUDITLOG, K_SUSPENDED, K_TARGET, K_SHARING = range(11, 20)
K_RECIPIENT, K_DYNAMIC, K_GMEMBER, K_OPTION, K_CATEGORY = range(20, 25)

CUSTOM_FIELD_TYPES = [
    "text",
    "textarea",
    "checkbox",
    "date",
    "integer",
    "decimal",
    "regexp",
    "tagger",
    "multiselect",
    "lookup",
]
SYSTEM_FIELD_TYPES = [
    ("subject", "Subject"),
    ("description", "Description"),
    ("status", "Status"),
    ("custom_status", "Ticket status"),
    ("tickettype", "Type"),
    ("priority", "Priority"),
    ("group", "Group"),
    ("assignee", "Assignee"),
]
STATUS_CATEGORIES = ["new", "open", "pending", "hold", "solved"]
K_JOB = 90  # background jobs (bulk updates, imports) whose statuses Zendesk keeps listing after they finish
JOB_TYPES = ["bulk_update", "bulk_delete", "create_many", "update_many"]
MACRO_CATEGORIES = {2: "FAQ::", 4: "Triage::"}


class ConfigObjects:
    def __init__(self, account):
        self.account = account
        s = account.settings
        self.seed = s.seed
        self.base = account.base_url
        self.t0 = account.history_start
        self.t1 = account.anchor
        self.rng = rng_for(s.seed, KIND_CONFIG, 0)
        pools = account.pools
        self.groups = [self._group(n, pools) for n in range(1, s.groups_count + 1)]
        self.brands = [self._brand(n, pools) for n in range(1, s.brands_count + 1)]
        self.custom_statuses = [self._custom_status(n, cat) for n, cat in enumerate(STATUS_CATEGORIES, 1)]
        self.ticket_fields = self._ticket_fields(pools)
        self.user_fields = self._person_fields("user", K_UFIELD)
        self.organization_fields = self._person_fields("organization", K_OFIELD)
        self.ticket_forms = self._ticket_forms()
        # a macro's category is the part of its title before "::"
        self.macros = [
            self._rule("macros", K_MACRO, n, f"{MACRO_CATEGORIES.get(n % 5, '')}Reply: {pools.sentences[n][:30]}")
            for n in range(1, 16)
        ]
        self.triggers = [
            self._rule("triggers", K_TRIGGER, n, f"Notify {pools.words[n % len(pools.words)]}") for n in range(1, 13)
        ]
        self.automations = [
            self._rule("automations", K_AUTOMATION, n, f"Close after {n * 24} hours") for n in range(1, 6)
        ]
        self.views = [self._view(n, pools) for n in range(1, 11)]
        self.sla_policies = [self._sla(n) for n in range(1, 4)]
        self.schedules = [self._schedule(n) for n in range(1, 3)]
        self.holidays = {sch["id"]: [self._holiday(sch["id"], n) for n in range(1, 4)] for sch in self.schedules}
        self.custom_roles = [
            self._custom_role(n, name)
            for n, name in enumerate(["Staff", "Team lead", "Advisor", "Light agent", "Contributor"], 1)
        ]
        self.suspended_tickets = [self._suspended(n, pools) for n in range(1, 8)]
        self.targets = [
            self._simple(K_TARGET, n, {"title": f"Target {n}", "type": "http_target", "active": n != 2, "url": None})
            for n in range(1, 4)
        ]
        for t in self.targets:
            t["url"] = f"{self.base}/api/v2/targets/{t['id']}.json"
        self.sharing_agreements = [
            self._simple(
                K_SHARING,
                1,
                {
                    "url": None,
                    "name": "Partner support",
                    "type": "inbound",
                    "status": "accepted",
                    "partner_name": None,
                    "remote_subdomain": "partner-help",
                },
            )
        ]
        self.recipient_addresses = [self._recipient(n) for n in range(1, s.brands_count + 2)]
        self.dynamic_content = [self._dynamic(n, pools) for n in range(1, 6)]
        self.group_memberships = self._group_memberships()
        self.tags = self._tags(pools)
        self.audit_logs = self._audit_logs()
        self.routing_attributes, self.routing_definitions = self._routing()
        self.job_statuses = [self._job_status(n) for n in range(1, 7)]
        # lookups used on every ticket
        self.custom_field_types = [(f["id"], f["type"]) for f in self.ticket_fields if f["type"] in CUSTOM_FIELD_TYPES]
        self.group_ids = [g["id"] for g in self.groups]
        self.brand_ids = [b["id"] for b in self.brands]
        self.form_ids = [f["id"] for f in self.ticket_forms]

    # ---- helpers -------------------------------------------------------------------------------
    def _ts(self, kind: int, n: int) -> tuple[str, str]:
        span = max(1, self.t1 - self.t0)
        created = self.t0 + (kind * 7919 + n * 104729) % (span // 2)
        updated = created + (n * 3571) % (span // 2)
        return iso(created), iso(updated)

    def _job_status(self, n: int) -> dict:
        """A finished background job as /api/v2/job_statuses lists it: a hex id, and one result per record."""
        job_id = f"{mix(self.seed, K_JOB, n):016x}{mix(self.seed, K_JOB, -n):016x}"
        created, _ = self._ts(K_JOB, n)
        total = n % 3 + 2
        results = [
            {"action": "update", "id": ids.config_id(K_JOB, n * 10 + k), "status": "Updated", "success": True}
            for k in range(1, total + 1)
        ]
        return {
            "id": job_id,
            "job_type": JOB_TYPES[n % len(JOB_TYPES)],
            "status": "completed",
            "total": total,
            "progress": total,
            "message": f"Completed at {created.replace('T', ' ').replace('Z', ' +0000')}",
            "results": results,
            "url": f"{self.base}/api/v2/job_statuses/{job_id}",
            "created_at": created,
        }

    def _simple(self, kind: int, n: int, fields: dict) -> dict:
        created, updated = self._ts(kind, n)
        return {"id": ids.config_id(kind, n), **fields, "created_at": created, "updated_at": updated}

    def _group(self, n, pools):
        created, updated = self._ts(K_GROUP, n)
        gid = ids.GROUP + n
        names = ["Support", "Billing", "Tier 2", "Escalations", "Sales", "Onboarding", "Returns", "VIP"]
        name = names[n - 1] if n <= len(names) else f"{names[n % len(names)]} {n}"
        return {
            "url": f"{self.base}/api/v2/groups/{gid}.json",
            "id": gid,
            "is_public": n != 4,
            "name": name,
            "description": pools.sentences[n],
            "default": n == 1,
            "deleted": n == 6,
            "created_at": created,
            "updated_at": updated,
        }

    def _brand(self, n, pools):
        created, updated = self._ts(K_BRAND, n)
        bid = ids.config_id(K_BRAND, n)
        sub = self.account.settings.subdomain if n == 1 else f"{self.account.settings.subdomain}{n}"
        hc = n == 1 and self.account.settings.has_feature("help_center")  # the default brand's Help Center, when on
        return {
            "url": f"{self.base}/api/v2/brands/{bid}.json",
            "id": bid,
            "name": pools.companies[n] if n > 1 else self.account.settings.subdomain.title(),
            "brand_url": f"https://{sub}.zendesk.com",
            "subdomain": sub,
            "host_mapping": None,
            "has_help_center": hc,
            "help_center_state": "enabled" if hc else "disabled",
            "active": True,
            "default": n == 1,
            "is_deleted": False,
            "logo": None,
            "ticket_form_ids": [],
            "signature_template": "{{agent.signature}}",
            "created_at": created,
            "updated_at": updated,
        }

    def _custom_status(self, n, category):
        created, updated = self._ts(K_STATUS, n)
        label = category.title()
        return {
            "id": ids.config_id(K_STATUS, n),
            "status_category": category,
            "agent_label": label,
            "raw_agent_label": label,
            "end_user_label": label,
            "raw_end_user_label": label,
            "description": f"Ticket is {category}",
            "raw_description": f"Ticket is {category}",
            "end_user_description": "",
            "raw_end_user_description": "",
            "active": True,
            "default": True,
            "created_at": created,
            "updated_at": updated,
        }

    def custom_status_id(self, status: str) -> int | None:
        category = "solved" if status == "closed" else status
        if category not in STATUS_CATEGORIES:
            return None
        return ids.config_id(K_STATUS, STATUS_CATEGORIES.index(category) + 1)

    def _field(self, kind, n, path, ftype, title, extra):
        created, updated = self._ts(kind, n)
        fid = ids.config_id(kind, n)
        return {
            "url": f"{self.base}/api/v2/{path}/{fid}.json",
            "id": fid,
            "type": ftype,
            "title": title,
            "raw_title": title,
            "description": f"{title} field",
            "raw_description": f"{title} field",
            "position": n,
            "active": True,
            "created_at": created,
            "updated_at": updated,
            **extra,
        }

    def _options(self, prefix, count):
        return [
            {
                "id": ids.config_id(K_OPTION, hash((prefix, k)) % 900_000 + k),
                "name": f"{prefix.title()} {k}",
                "raw_name": f"{prefix.title()} {k}",
                "value": f"{prefix}_{k}",
                "default": False,
            }
            for k in range(1, count + 1)
        ]

    def _ticket_fields(self, pools):
        fields = []
        n = 0
        for ftype, title in SYSTEM_FIELD_TYPES:
            n += 1
            fields.append(
                self._field(
                    K_TFIELD, n, "ticket_fields", ftype, title, self._ticket_field_extra(ftype, system=True, n=n)
                )
            )
        for ftype in CUSTOM_FIELD_TYPES:
            n += 1
            fields.append(
                self._field(
                    K_TFIELD,
                    n,
                    "ticket_fields",
                    ftype,
                    f"{ftype.title()} field",
                    self._ticket_field_extra(ftype, system=False, n=n),
                )
            )
        return fields

    def _ticket_field_extra(self, ftype, system, n):
        options = None
        if ftype in ("tagger", "multiselect"):
            options = [
                {
                    "id": ids.config_id(K_OPTION, n * 100 + k),
                    "name": f"Option {k}",
                    "raw_name": f"Option {k}",
                    "value": f"{ftype}_option_{k}",
                    "default": False,
                }
                for k in range(1, 5)
            ]
        return {
            "agent_description": None,
            "required": ftype == "subject",
            "required_in_portal": False,
            "visible_in_portal": system,
            "editable_in_portal": system,
            "collapsed_for_agents": False,
            "title_in_portal": None,
            "raw_title_in_portal": None,
            "regexp_for_validation": r"\A[A-Z]{3}-\d{4}\z" if ftype == "regexp" else None,
            "tag": None,
            "removable": not system,
            "key": None,
            "agent_can_edit": True,
            "creator_user_id": None,
            "creator_app_name": None,
            "sub_type_id": 0,
            "system_field_options": [] if ftype in ("status", "priority") else None,
            "relationship_target_type": "zen:user" if ftype == "lookup" else None,
            "relationship_filter": {"all": [], "any": []} if ftype == "lookup" else None,
            "custom_statuses": [],
            **with_options(options),
        }

    def ticket_field_values(self, h: int, i: int) -> list[dict]:
        """Values of the custom fields on ticket i (h: a 64-bit hash of it): one of every type, some empty."""
        out = []
        value: bool | str | list[str] | None
        for k, (fid, ftype) in enumerate(self.custom_field_types):
            r = ((h >> (k * 5)) * 2654435761 + k) % 1000
            empty = r % 4 == 0
            if ftype == "checkbox":
                value = r % 2 == 0
            elif empty:
                value = None
            elif ftype in ("text", "textarea"):
                value = f"note {r}"
            elif ftype == "date":
                value = f"2025-{r % 12 + 1:02d}-{r % 28 + 1:02d}"
            elif ftype == "integer":
                value = str(r)
            elif ftype == "decimal":
                value = f"{r / 7:.2f}"
            elif ftype == "regexp":
                value = f"ABC-{r:04d}"
            elif ftype == "tagger":
                value = f"tagger_option_{r % 4 + 1}"
            elif ftype == "multiselect":
                value = sorted({f"multiselect_option_{r % 4 + 1}", f"multiselect_option_{(r // 4) % 4 + 1}"})
            else:  # lookup: a user id
                value = str(self.account.users.end_user_id(r))
            out.append({"id": fid, "value": value})
        return out

    def _person_fields(self, who, kind):
        path = f"{who}_fields"
        specs = [
            ("text", "Account number"),
            ("date", "Contract end"),
            ("checkbox", "Premium"),
            ("dropdown", "Region"),
            ("integer", "Seats"),
            ("decimal", "Revenue"),
        ]
        out = []
        for n, (ftype, title) in enumerate(specs, 1):
            key = title.lower().replace(" ", "_")
            options = None
            if ftype == "dropdown":
                options = [
                    {
                        "id": ids.config_id(K_OPTION, kind * 1000 + k),
                        "name": r,
                        "raw_name": r,
                        "value": r.lower(),
                        "default": False,
                    }
                    for k, r in enumerate(["EMEA", "AMER", "APAC"], 1)
                ]
            out.append(
                self._field(
                    kind,
                    n,
                    path,
                    ftype,
                    title,
                    {
                        "key": key,
                        "regexp_for_validation": None,
                        "tag": "premium" if ftype == "checkbox" else None,
                        "system": False,
                        "relationship_target_type": None,
                        "relationship_filter": None,
                        **with_options(options),
                    },
                )
            )
        return out

    def user_field_values(self, k: int) -> dict:
        return {
            "account_number": None if k % 3 else f"AC{k:07d}",
            "contract_end": None,
            "premium": k % 6 == 0,
            "region": ["emea", "amer", "apac"][k % 3],
            "seats": None,
            "revenue": None,
        }

    def organization_field_values(self, o: int) -> dict:
        return {
            "account_number": f"ORG{o:06d}",
            "contract_end": f"2027-{o % 12 + 1:02d}-01",
            "premium": o % 5 == 0,
            "region": ["emea", "amer", "apac"][o % 3],
            "seats": o % 200 + 1,
            "revenue": f"{o * 1234.5:.1f}",
        }

    def _ticket_forms(self):
        field_ids = [f["id"] for f in self.ticket_fields]
        out = []
        for n, name in enumerate(["Default ticket form", "Billing request", "Bug report"], 1):
            created, updated = self._ts(K_FORM, n)
            fid = ids.config_id(K_FORM, n)
            out.append(
                {
                    "url": f"{self.base}/api/v2/ticket_forms/{fid}.json",
                    "id": fid,
                    "name": name,
                    "raw_name": name,
                    "display_name": name,
                    "raw_display_name": name,
                    "end_user_visible": True,
                    "position": n,
                    "ticket_field_ids": field_ids[: 8 + n * 3],
                    "active": True,
                    "default": n == 1,
                    "in_all_brands": True,
                    "restricted_brand_ids": [],
                    "end_user_conditions": self._end_user_conditions(n),
                    "agent_conditions": self._agent_conditions(n),
                    "deleted_at": None,
                    "form_type": "ticket",
                    "created_at": created,
                    "updated_at": updated,
                }
            )
        for b in self.brands:
            b["ticket_form_ids"] = [f["id"] for f in out]
        return out

    # Conditional fields per form (form number -> condition sets): a checkbox or drop-down parent field of the form,
    # the value that shows the children, and each child as (field number, is_required, required_on_statuses type,
    # statuses). Field numbers follow _ticket_fields: 9 text, 10 textarea, 11 checkbox, 12 date, 13 integer,
    # 14 decimal, 15 regexp, 16 tagger, 17 multiselect; every number lies in its form's ticket_field_ids.
    AGENT_CONDITIONS: ClassVar[
        dict[int, list[tuple[int, bool | str, list[tuple[int, bool, str, list[str] | None]]]]]
    ] = {
        1: [(11, True, [(9, True, "ALL_STATUSES", None), (10, False, "NO_STATUSES", None)])],
        2: [
            (11, True, [(12, False, "SOME_STATUSES", ["solved"]), (13, True, "ALL_STATUSES", None)]),
            (11, False, [(14, False, "SOME_STATUSES", ["pending", "hold", "solved"])]),
        ],
        3: [
            (16, "tagger_option_1", [(15, True, "ALL_STATUSES", None), (17, False, "SOME_STATUSES", ["solved"])]),
            (16, "tagger_option_2", [(9, False, "NO_STATUSES", None)]),
            (11, True, [(14, False, "SOME_STATUSES", ["open", "solved"])]),
        ],
    }
    END_USER_CONDITIONS: ClassVar[dict[int, list[tuple[int, bool | str, list[tuple[int, bool]]]]]] = {
        1: [(11, True, [(9, True)])],
        2: [(11, True, [(12, False)])],
        3: [(16, "tagger_option_1", [(15, True), (17, False)])],
    }

    def _field_id(self, number: int) -> int:
        return self.ticket_fields[number - 1]["id"]

    def _agent_conditions(self, form: int) -> list[dict]:
        out = []
        for parent, value, children in self.AGENT_CONDITIONS.get(form, []):
            fields = []
            for child, required, kind, statuses in children:
                on_statuses = {"type": kind, **({"statuses": statuses} if statuses else {})}
                fields.append(
                    {"id": self._field_id(child), "is_required": required, "required_on_statuses": on_statuses}
                )
            out.append(
                {
                    "parent_field_id": self._field_id(parent),
                    "parent_field_type": self.ticket_fields[parent - 1]["type"],
                    "value": value,
                    "child_fields": fields,
                }
            )
        return out

    def _end_user_conditions(self, form: int) -> list[dict]:
        return [
            {
                "parent_field_id": self._field_id(parent),
                "value": value,
                "child_fields": [
                    {"id": self._field_id(child), "is_required": required} for child, required in children
                ],
            }
            for parent, value, children in self.END_USER_CONDITIONS.get(form, [])
        ]

    def condition_rows(self, key: str) -> int:
        """Rows of the condition streams: one per child field of each condition set of each form."""
        return sum(len(condition["child_fields"]) for form in self.ticket_forms for condition in form[key])

    def _rule(self, path, kind, n, title):
        created, updated = self._ts(kind, n)
        rid = ids.config_id(kind, n)
        rule = {
            "url": f"{self.base}/api/v2/{path}/{rid}.json",
            "id": rid,
            "title": title,
            "raw_title": title,
            "active": n % 5 != 0,
            "position": n,
            "default": False,
            "actions": self._actions(path, n),
            "created_at": created,
            "updated_at": updated,
        }
        if path == "macros":
            rule.update({"description": None, "restriction": None})
        else:
            rule["conditions"] = self._conditions(n)
        if path == "triggers":
            rule.update(
                {
                    "description": None,
                    "category_id": str(ids.config_id(K_CATEGORY, 1)),
                    "brand_id": None,
                    "restriction": None,
                }
            )
        return rule

    # fields each business rule list sends only when `include=` names them (Zendesk's sideload tables)
    RULE_SIDELOADS = {
        "macros": ("usage_1h", "usage_24h", "usage_7d", "usage_30d", "app_installation", "categories", "permissions"),
        "triggers": ("usage_1h", "usage_24h", "usage_7d", "usage_30d", "app_installation", "permissions"),
        "automations": ("usage_1h", "usage_24h", "usage_7d", "usage_30d", "app_installation", "permissions"),
    }

    def rule_sideload(self, rule: dict, name: str):
        """A sideloaded field of a macro, trigger or automation. No rule here needs an app and permissions are the
        account's defaults, so those are null; the categories sideload is not modelled (null), GET
        /macros/categories lists them."""
        n = rule["position"]
        return {"usage_1h": 0, "usage_24h": n % 4, "usage_7d": n * 3, "usage_30d": n * 11}.get(name)

    def _checkbox_field(self) -> str:
        fid = next(f["id"] for f in self.ticket_fields if f["type"] == "checkbox")
        return f"custom_fields_{fid}"

    def _conditions(self, n):
        """A value's type follows its field: a status is a string, a checkbox a boolean, a group id a number,
        a tag condition a space-separated string."""
        conditions = {"all": [{"field": "status", "operator": "less_than", "value": "solved"}], "any": []}
        if n % 2:
            conditions["all"].append({"field": self._checkbox_field(), "operator": "is", "value": n % 4 == 1})
        if n % 3 == 0:
            conditions["any"].append(
                {"field": "group_id", "operator": "is", "value": self.groups[n % len(self.groups)]["id"]}
            )
            conditions["any"].append({"field": "current_tags", "operator": "includes", "value": "vip urgent"})
        return conditions

    def _actions(self, path, n):
        """Actions of every value shape: a string (status), a list (tags, notifications), a number (group)
        and a boolean (checkbox)."""
        actions = [{"field": "status", "value": "solved" if path == "automations" else "open"}]
        if n % 2 == 0:
            actions.append({"field": "set_tags", "value": ["tag_a", f"rule_{n}"]})
        if path == "triggers" and n % 3 != 2:
            actions.append(
                {
                    "field": "notification_user",
                    "value": ["requester_id", "[{{ticket.account}}] Re: {{ticket.title}}", "Your request was updated."],
                }
            )
        if path == "macros":
            actions.append({"field": "comment_value_html", "value": f"<p>Reply {n}</p>"})
        if n % 3 == 1:
            actions.append({"field": "group_id", "value": self.groups[n % len(self.groups)]["id"]})
        if n % 4 == 3:
            actions.append({"field": self._checkbox_field(), "value": True})
        return actions

    VIEW_COLUMNS = [
        ("subject", "Subject"),
        ("requester", "Requester"),
        ("created", "Requested"),
        ("type", "Type"),
        ("priority", "Priority"),
        ("assignee", "Assignee"),
        ("group", "Group"),
        ("updated", "Updated"),
        ("status", "Status"),
        ("nice_id", "ID"),
    ]
    UNFILTERABLE = {"subject", "nice_id"}

    def _column(self, column_id, title, order=None):
        col = {"id": column_id, "title": title, "filterable": column_id not in self.UNFILTERABLE, "sortable": True}
        if order is not None:
            col["order"] = order
        return col

    def _view(self, n, pools):
        created, updated = self._ts(K_VIEW, n)
        vid = ids.config_id(K_VIEW, n)
        columns = [self._column(c, t) for c, t in self.VIEW_COLUMNS[: 4 + n % 5]]
        # group and sort are null only when the view sets none
        group_by, group_order = ("status", "asc") if n % 3 else (None, None)
        sort_by, sort_order = ("updated", "desc") if n % 4 else (None, None)
        titles = dict(self.VIEW_COLUMNS)
        checkbox = next(f for f in self.ticket_fields if f["type"] == "checkbox")
        custom = (
            [{"id": checkbox["id"], "title": checkbox["title"], "type": "checkbox", "url": checkbox["url"]}]
            if n % 2
            else []
        )
        return {
            "url": f"{self.base}/api/v2/views/{vid}.json",
            "id": vid,
            "title": f"View {n}: {pools.words[n]}",
            "raw_title": f"View {n}: {pools.words[n]}",
            "active": n != 7,
            "position": n,
            "default": n <= 2,
            "description": None,
            "restriction": None,
            "execution": {
                "group_by": group_by,
                "group_order": group_order,
                "sort_by": sort_by,
                "sort_order": sort_order,
                "group": self._column(group_by, titles[group_by], group_order) if group_by else None,
                "sort": self._column(sort_by, titles[sort_by], sort_order) if sort_by else None,
                "columns": columns,
                "fields": [dict(c) for c in columns],
                "custom_fields": custom,
            },
            "conditions": self._conditions(n),
            "created_at": created,
            "updated_at": updated,
        }

    def _sla(self, n):
        created, updated = self._ts(K_SLA, n)
        sid = ids.config_id(K_SLA, n)
        metrics = [
            {
                "priority": p,
                "metric": "first_reply_time",
                "target": t,
                "target_in_seconds": t * 60,
                "business_hours": False,
            }
            for p, t in (("urgent", 30 * n), ("high", 60 * n))
        ]
        return {
            "url": f"{self.base}/api/v2/slas/policies/{sid}.json",
            "id": sid,
            "title": f"SLA tier {n}",
            "description": f"Targets for tier {n} customers",
            "position": n,
            "filter": {"all": [{"field": "type", "operator": "is", "value": "incident"}], "any": []},
            "policy_metrics": metrics,
            "metric_settings": {},
            "created_at": created,
            "updated_at": updated,
        }

    def _schedule(self, n):
        created, updated = self._ts(K_SCHEDULE, n)
        # weekdays 09:00-17:00, minutes from Sunday 00:00
        intervals = [{"start_time": d * 1440 + 540, "end_time": d * 1440 + 1020} for d in range(1, 6)]
        return {
            "id": ids.config_id(K_SCHEDULE, n),
            "name": ["Main office", "Night shift"][n - 1],
            "time_zone": ["Eastern Time (US & Canada)", "London"][n - 1],
            "intervals": intervals,
            "created_at": created,
            "updated_at": updated,
        }

    def _holiday(self, schedule_id, n):
        return {
            "id": ids.config_id(K_HOLIDAY, (schedule_id % 1000) * 10 + n),
            "name": f"Holiday {n}",
            "start_date": f"2026-{n * 3:02d}-01",
            "end_date": f"2026-{n * 3:02d}-02",
        }

    def _custom_role(self, n, name):
        created, updated = self._ts(K_ROLE, n)
        lead, light = n == 2, n == 4
        return {
            "id": ids.config_id(K_ROLE, n),
            "name": name,
            "description": f"{name} role",
            "role_type": 0,
            "team_member_count": n * 2,
            "created_at": created,
            "updated_at": updated,
            "configuration": {
                "assign_tickets_to_any_group": lead,
                "chat_access": True,
                "end_user_list_access": "full",
                "end_user_profile_access": "edit" if lead else "readonly",
                "explore_access": "readonly",
                "forum_access": "readonly",
                "forum_access_restricted_content": False,
                "group_access": lead,
                "light_agent": light,
                "macro_access": "full" if lead else "readonly",
                "manage_business_rules": lead,
                "manage_contextual_workspaces": False,
                "manage_dynamic_content": False,
                "manage_extensions_and_channels": False,
                "manage_facebook": False,
                "manage_organization_fields": lead,
                "manage_ticket_fields": lead,
                "manage_ticket_forms": lead,
                "manage_user_fields": lead,
                "moderate_forums": False,
                "organization_editing": n <= 2,
                "organization_notes_editing": n <= 2,
                "report_access": "readonly",
                "side_conversation_create": not light,
                "ticket_access": "all" if lead else "within-groups",
                "ticket_comment_access": "none" if light else "public",
                "ticket_deletion": lead,
                "ticket_editing": not light,
                "ticket_merge": n <= 2,
                "ticket_tag_editing": True,
                "twitter_search_access": False,
                "user_view_access": "readonly",
                "view_access": "readonly",
                "view_deleted_tickets": lead,
                "voice_access": not light,
                "voice_dashboard_access": lead,
            },
        }

    def _suspended(self, n, pools):
        created, updated = self._ts(K_SUSPENDED, n)
        sid = ids.config_id(K_SUSPENDED, n)
        return {
            "url": f"{self.base}/api/v2/suspended_tickets/{sid}.json",
            "id": sid,
            "author": {"id": None, "name": pools.first_names[n], "email": f"spam{n}@example.net"},
            "subject": pools.subjects[n],
            "content": pools.paragraphs[n],
            "cause": "Detected as spam",
            "cause_id": 0,
            "message_id": f"<msg{n}@example.net>",
            "ticket_id": None,
            "recipient": f"support@{self.account.settings.subdomain}.example.com",
            "brand_id": self.brands[0]["id"],
            "attachments": [],
            "error_messages": None,
            "via": {"channel": "email", "source": {"from": {}, "to": {}, "rel": None}},
            "created_at": created,
            "updated_at": updated,
        }

    def _recipient(self, n):
        created, updated = self._ts(K_RECIPIENT, n)
        rid = ids.config_id(K_RECIPIENT, n)
        brand = self.brands[(n - 1) % len(self.brands)]
        return {
            "url": f"{self.base}/api/v2/recipient_addresses/{rid}.json",
            "id": rid,
            "brand_id": brand["id"],
            "default": n == 1,
            "name": f"Support {n}",
            "email": f"support{n}@{brand['subdomain']}.zendesk.com",
            "forwarding_status": "verified",
            "spf_status": "verified",
            "cname_status": "verified",
            "domain_verification_status": "verified",
            "domain_verification_code": f"{mix(self.seed, KIND_CONFIG, rid):016x}",
            "created_at": created,
            "updated_at": updated,
        }

    def _dynamic(self, n, pools):
        created, updated = self._ts(K_DYNAMIC, n)
        iid = ids.config_id(K_DYNAMIC, n)
        name = f"greeting_{n}"
        return {
            "url": f"{self.base}/api/v2/dynamic_content/items/{iid}.json",
            "id": iid,
            "name": name,
            "placeholder": "{{dc.%s}}" % name,
            "default_locale_id": 1,
            "outdated": False,
            "created_at": created,
            "updated_at": updated,
            "variants": [
                {
                    "url": f"{self.base}/api/v2/dynamic_content/items/{iid}/variants/{iid + 1}.json",
                    "id": iid + 1,
                    "content": pools.sentences[n],
                    "locale_id": 1,
                    "outdated": False,
                    "active": True,
                    "default": True,
                    "created_at": created,
                    "updated_at": updated,
                }
            ],
        }

    def _group_memberships(self):
        out = []
        users = self.account.users
        n = 0
        for k in range(1, users.n_agents + 1):
            for g in sorted({k % len(self.groups), (k * 3) % len(self.groups)}):
                n += 1
                created, updated = self._ts(K_GMEMBER, n)
                mid = ids.config_id(K_GMEMBER, n)
                out.append(
                    {
                        "url": f"{self.base}/api/v2/group_memberships/{mid}.json",
                        "id": mid,
                        "user_id": ids.USER + k,
                        "group_id": self.groups[g]["id"],
                        "default": g == k % len(self.groups),
                        "created_at": created,
                        "updated_at": updated,
                    }
                )
        return out

    def _tags(self, pools):
        total = self.account.settings.tickets
        return [{"name": w, "count": max(1, total // (r + 2))} for r, w in enumerate(pools.words[:40])]

    def _audit_logs(self):
        users = self.account.users
        actions = ["create", "update", "destroy", "login", "update"]
        sources = [
            ("Ticket field", "ticket_fields"),
            ("Macro", "macros"),
            ("Trigger", "triggers"),
            ("User", "users"),
            ("Group", "groups"),
        ]
        out = []
        span = max(1, self.t1 - self.t0)
        count = 60
        for n in range(1, count + 1):
            ts = self.t0 + span * n // (count + 1)
            stype, _ = sources[n % len(sources)]
            action = actions[n % len(actions)]
            out.append(
                {
                    "url": f"{self.base}/api/v2/audit_logs/{ids.config_id(K_AUDITLOG, n)}.json",
                    "id": ids.config_id(K_AUDITLOG, n),
                    "action_label": action.title() + "d",
                    "actor_id": users.admin_id(),
                    "actor_name": "Admin",
                    "source_id": ids.config_id(K_TFIELD, n % 9 + 1),
                    "source_type": stype.lower().replace(" ", "_"),
                    "source_label": f"{stype} {n}",
                    "action": action,
                    "change_description": f"{action.title()}d {stype.lower()} {n}",
                    "ip_address": self.account.pools.ips[n % len(self.account.pools.ips)],
                    "created_at": iso(ts),
                }
            )
        return out

    def _routing(self):
        attrs, defs = [], {"conditions_all": [], "conditions_any": []}
        for n, name in enumerate(["Language", "Skill level"], 1):
            created, updated = self._ts(K_CATEGORY, n)
            aid = f"{n:08x}-7c2d-11ee-a2b7-{self.seed:012x}"
            attrs.append(
                {
                    "url": f"{self.base}/api/v2/routing/attributes/{aid}.json",
                    "id": aid,
                    "name": name,
                    "created_at": created,
                    "updated_at": updated,
                }
            )
        defs["conditions_all"].append({"subject": "number_of_incidents", "title": "Number of incidents"})
        defs["conditions_any"].append({"subject": "brand", "title": "Brand"})
        return attrs, defs
