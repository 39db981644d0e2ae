"""Users (admins, agents, end users), their identities and organization memberships, and organizations:
lazy like tickets, record k computed from (seed, k), mutations kept in a small overlay."""

from __future__ import annotations

from dataclasses import dataclass

from . import ids
from .attachments import user_photo
from .pools import mix
from .timeline import Timeline, iso, iter_keyset

USER_LAG, ORG_LAG = 3, 2
KIND_USER = 21
LOCALES = [
    ("en-US", 1, "Eastern Time (US & Canada)", "America/New_York"),
    ("en-GB", 5, "London", "Europe/London"),
    ("de", 8, "Berlin", "Europe/Berlin"),
    ("fr", 16, "Paris", "Europe/Paris"),
    ("es", 2, "Madrid", "Europe/Madrid"),
]


@dataclass
class Change:
    """Overlay state of a user or organization changed through /_sandbox/mutate."""

    created_at: int | None
    updated_at: int
    generated: int
    deleted_at: int | None = None
    revision: int = 0


class LazyPeople:
    """Shared machinery of users and organizations: timeline, overlay, keyset iteration by updated_at."""

    id_base = 0

    def __init__(self, account, count: int, lag: int, start: int, end: int, burst: int):
        self.account = account
        self.seed = account.settings.seed
        self.count = count
        self.lag = lag
        self.timeline = Timeline(count, lag, start, end, burst=burst)
        self.changes: dict[int, Change] = {}
        self.next_index = count + 1
        self._changed_order = None

    def index_of(self, record_id: int) -> int | None:
        k = record_id - self.id_base
        return k if 1 <= k < self.next_index else None

    def created_ts(self, k: int) -> int:
        change = self.changes.get(k)
        return change.created_at if change is not None and change.created_at is not None else self.timeline.at(k)

    def updated_ts(self, k: int) -> int:
        change = self.changes.get(k)
        return change.updated_at if change is not None else self.timeline.at(k + self.lag)

    def export_ts(self, k: int) -> int:
        change = self.changes.get(k)
        return change.generated if change is not None else self.timeline.at(k + self.lag)

    def base_deleted(self, k: int) -> bool:
        raise NotImplementedError

    def is_deleted(self, k: int) -> bool:
        change = self.changes.get(k)
        if change is not None and change.deleted_at is not None:
            return True
        return k <= self.count and self.base_deleted(k)

    def changed_order(self):
        if self._changed_order is None:
            self._changed_order = sorted((change.generated, k) for k, change in self.changes.items())
        return self._changed_order

    def iter_export(self, after: tuple[int, int]):
        """(export timestamp, record id) ascending, strictly after the keyset `after` (ids are public ids)."""
        return iter_keyset(self.timeline, self.count, self.changes, self.changed_order(), after, self.lag, self.id_base)

    def active_indexes(self) -> list[int]:
        return [k for k in range(1, self.next_index) if not self.is_deleted(k)]

    def deleted_indexes(self) -> list[int]:
        return [k for k in range(1, self.next_index) if self.is_deleted(k)]


class Users(LazyPeople):
    id_base = ids.USER

    def __init__(self, account, count: int, start: int, end: int):
        super().__init__(account, count, USER_LAG, start, end, burst=5)
        self.n_agents = max(3, min(500, count // 25))
        self.organizations_count = account.settings.organizations_count

    # roles: user 1 is the account owner (admin), user 2 an agent whose token the tests use
    def role(self, k: int) -> str:
        if k == 1 or (k <= self.n_agents and k % 10 == 1):
            return "admin"
        return "agent" if k <= self.n_agents else "end-user"

    def base_deleted(self, k: int) -> bool:
        return k > self.n_agents and k % 61 == 29

    def admin_id(self) -> int:
        return ids.USER + 1

    def agent_id(self, r: int) -> int:
        return ids.USER + 2 + r % (self.n_agents - 1)

    def end_user_id(self, r: int) -> int:
        span = max(1, self.count - self.n_agents)
        return ids.USER + self.n_agents + 1 + r % span

    def organization_index(self, k: int) -> int | None:
        if k <= self.n_agents or k % 5 == 0:
            return None
        return (k * 31) % self.organizations_count + 1

    def organization_of(self, user_id: int) -> int | None:
        o = self.organization_index(user_id - ids.USER)
        return None if o is None else ids.ORGANIZATION + o

    def email(self, k: int) -> str:
        if k == 1:
            return f"admin@{self.account.settings.subdomain}.example.com"
        if k == 2:
            return f"agent@{self.account.settings.subdomain}.example.com"
        pools = self.account.pools
        first = pools.first_names[k % len(pools.first_names)].lower()
        last = pools.last_names[(k * 7) % len(pools.last_names)].lower()
        return f"{first}.{last}.{k}@{pools.domains[(k * 13) % len(pools.domains)]}"

    def name(self, k: int) -> str:
        pools = self.account.pools
        return f"{pools.first_names[k % len(pools.first_names)]} {pools.last_names[(k * 7) % len(pools.last_names)]}"

    def has_photo(self, k: int) -> bool:
        """Most agents upload a photo, a few end users do."""
        return k % 2 == 0 if k <= self.n_agents else k % 7 == 3

    def user(self, k: int, export: bool = False) -> dict:
        """A user as lists and shows give it; `export`: as the users export gives it (with permanently_deleted,
        which only the export carries)."""
        pools = self.account.pools
        role = self.role(k)
        deleted = self.is_deleted(k)
        name = self.name(k)
        locale, locale_id, tz, iana = LOCALES[k % len(LOCALES)]
        updated = self.updated_ts(k)
        record = {
            "id": ids.USER + k,
            "url": f"{self.account.base_url}/api/v2/users/{ids.USER + k}.json",
            "name": name,
            "email": None if deleted else self.email(k),
            "created_at": iso(self.created_ts(k)),
            "updated_at": iso(updated),
            "time_zone": tz,
            "iana_time_zone": iana,
            "phone": pools.phones[k % len(pools.phones)] if k % 3 == 0 else None,
            "shared_phone_number": False if k % 3 == 0 else None,
            "photo": user_photo(self.account, ids.USER + k) if self.has_photo(k) and not deleted else None,
            "locale_id": locale_id,
            "locale": locale,
            "organization_id": self.organization_of(ids.USER + k),
            "role": role,
            "verified": k % 9 != 4,
            "external_id": None if k % 4 else f"crm-{k}",
            "tags": [] if k % 6 else ["vip"],
            "alias": "" if role == "end-user" else None,
            "active": not deleted,
            "shared": False,
            "shared_agent": False,
            "last_login_at": iso(updated - mix(self.seed, KIND_USER, k) % 86400) if role != "end-user" else None,
            "two_factor_auth_enabled": False if role != "end-user" else None,
            "signature": None if role == "end-user" else f"Regards,\n{name}",
            "details": "",
            "notes": "",
            "role_type": None if role == "end-user" else (0 if role == "agent" and k % 7 == 3 else None),
            "custom_role_id": None,
            "moderator": role != "end-user",
            "ticket_restriction": "requested" if role == "end-user" else None,
            "only_private_comments": False,
            "restricted_agent": role == "end-user",
            "suspended": False,
            "default_group_id": (
                self.account.config.groups[k % len(self.account.config.groups)]["id"] if role != "end-user" else None
            ),
            "report_csv": role == "admin",
            "user_fields": self.account.config.user_field_values(k),
            "chat_only": False,
        }
        if export:
            record["permanently_deleted"] = False
        return record

    def identities(self, k: int) -> list[dict]:
        created = iso(self.created_ts(k))
        out = [
            {
                "url": f"{self.account.base_url}/api/v2/users/{ids.USER + k}/identities/{ids.IDENTITY + k * 4}.json",
                "id": ids.IDENTITY + k * 4,
                "user_id": ids.USER + k,
                "type": "email",
                "value": self.email(k),
                "verified": True,
                "primary": True,
                "created_at": created,
                "updated_at": created,
                "undeliverable_count": 0,
                "deliverable_state": "deliverable",
                "verification_method": "full",
                "verified_at": created,
            }
        ]
        if k % 3 == 0:
            out.append(
                {
                    "url": (
                        f"{self.account.base_url}/api/v2/users/{ids.USER + k}"
                        f"/identities/{ids.IDENTITY + k * 4 + 1}.json"
                    ),
                    "id": ids.IDENTITY + k * 4 + 1,
                    "user_id": ids.USER + k,
                    "type": "phone_number",
                    "value": self.account.pools.phones[k % len(self.account.pools.phones)],
                    "verified": False,
                    "primary": False,
                    "created_at": created,
                    "updated_at": created,
                    "undeliverable_count": 0,
                    "deliverable_state": "deliverable",
                    "verification_method": "none",
                    "verified_at": None,
                }
            )
        return out

    def identity_count(self, lo: int, hi: int) -> int:
        """Identities of users lo..hi (one email each, plus a phone for every third user)."""
        return (hi - lo + 1) + (hi // 3 - (lo - 1) // 3) if hi >= lo else 0

    def organization_membership(self, k: int) -> dict | None:
        o = self.organization_index(k)
        if o is None:
            return None
        created = iso(self.created_ts(k))
        return {
            "url": f"{self.account.base_url}/api/v2/organization_memberships/{ids.ORG_MEMBERSHIP + k}.json",
            "id": ids.ORG_MEMBERSHIP + k,
            "user_id": ids.USER + k,
            "organization_id": ids.ORGANIZATION + o,
            "default": True,
            "organization_name": self.account.organizations.name(o),
            "view_tickets": False,
            "created_at": created,
            "updated_at": created,
        }

    def deleted_user(self, k: int) -> dict:
        u = self.user(k)
        return {
            key: u[key]
            for key in (
                "id",
                "url",
                "name",
                "email",
                "created_at",
                "updated_at",
                "time_zone",
                "phone",
                "shared_phone_number",
                "photo",
                "locale_id",
                "locale",
                "organization_id",
                "role",
                "active",
            )
        }


class Organizations(LazyPeople):
    id_base = ids.ORGANIZATION

    def __init__(self, account, count: int, start: int, end: int):
        super().__init__(account, count, ORG_LAG, start, end, burst=3)

    def base_deleted(self, o: int) -> bool:
        return o % 19 == 4  # ~5%, and organization 4 in every account

    def name(self, o: int) -> str:
        companies = self.account.pools.companies
        base = companies[o % len(companies)]
        return base if o <= len(companies) else f"{base} {o // len(companies) + 1}"

    def organization(self, o: int, export: bool = False) -> dict:
        pools = self.account.pools
        deleted = self.is_deleted(o)
        name = self.name(o)
        change = self.changes.get(o)
        deleted_at = None
        if deleted:
            deleted_at = iso(change.deleted_at if change is not None and change.deleted_at else self.updated_ts(o))
            if export:
                name = f"{ids.ORGANIZATION + o}_deleted_{name}"
        return {
            "url": f"{self.account.base_url}/api/v2/organizations/{ids.ORGANIZATION + o}.json",
            "id": ids.ORGANIZATION + o,
            "name": name,
            "shared_tickets": o % 4 == 0,
            "shared_comments": o % 8 == 0,
            "external_id": None if o % 3 else f"acct-{o}",
            "created_at": iso(self.created_ts(o)),
            "updated_at": iso(self.updated_ts(o)),
            "domain_names": [pools.domains[o % len(pools.domains)]],
            "details": pools.cities[o % len(pools.cities)],
            "notes": "",
            "group_id": None,
            "tags": [] if o % 5 else ["enterprise"],
            "organization_fields": self.account.config.organization_field_values(o),
            "deleted_at": deleted_at,
        }
