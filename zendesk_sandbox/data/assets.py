"""IT asset management (an add-on): asset types and their fields, locations, statuses, and assets held by the
account's users. Built on first use and kept on the account; assets scale with the ticket count (bounded)."""

from __future__ import annotations

from datetime import datetime, timezone

from . import ids
from .pools import mix
from .timeline import iso

K_ASSETS = 401
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ASSET_FIELD = 29_000_000_000_000  # + type number * 100 + field position
STATUSES = ["Available", "In use", "Under repair", "Retired"]
LOCATIONS = ["Berlin Office", "Lisbon Office", "Miami Office", "San Francisco Office"]
# (name, parent name, field keys): two standard roots and their kinds, as Zendesk seeds them
TYPES = [
    ("Hardware", None, ["warranty_provider"]),
    ("Laptop", "Hardware", ["ram_total", "storage_capacity", "operating_system"]),
    ("Desktop", "Hardware", ["ram_total", "operating_system"]),
    ("Mobile", "Hardware", ["imei", "phone_number"]),
    ("Monitor", "Hardware", []),
    ("Software", None, []),
    ("License", "Software", ["seats", "license_key_hint"]),
]
FIELD_TYPES = {
    "ram_total": "text",
    "storage_capacity": "text",
    "operating_system": "dropdown",
    "imei": "text",
    "phone_number": "text",
    "warranty_provider": "text",
    "seats": "integer",
    "license_key_hint": "text",
}
MAKERS = [
    ("Apple", "MacBook Pro 14"),
    ("Lenovo", "ThinkPad X1"),
    ("Dell", "Latitude 7440"),
    ("Samsung", "Galaxy S24"),
    ("LG", "UltraFine 27"),
    ("Microsoft", "Office 365 E3"),
]
VENDORS = ["CDW", "Insight", "SHI", None]


def ulid(kind: int, n: int) -> str:
    """A ULID-shaped id (26 Crockford base-32 characters), unique per (kind, n)."""
    value, out = kind * 10**9 + n, []
    for _ in range(20):
        value, digit = divmod(value, 32)
        out.append(CROCKFORD[digit])
    return "01K9BT" + "".join(reversed(out))


def asset_count(tickets: int) -> int:
    return min(2000, max(25, tickets // 10))


def day(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d")


class ItAssets:
    def __init__(self, account):
        self.account = account
        self.seed = account.settings.seed
        self.api = f"{account.base_url}/api/v2/it_asset_management"
        self.t0 = account.history_start
        self.statuses = [self._named(1, n, name, "statuses") for n, name in enumerate(STATUSES, 1)]
        self.locations = [self._named(2, n, name, "locations") for n, name in enumerate(LOCATIONS, 1)]
        self.asset_types = [self._type(n, *row) for n, row in enumerate(TYPES, 1)]
        self.fields = {kind["id"]: self._fields(n, kind) for n, kind in enumerate(self.asset_types, 1)}
        leaves = [kind for kind in self.asset_types if kind["hierarchy_depth"] == 2]
        self.assets = [self._asset(n, leaves) for n in range(1, asset_count(account.settings.tickets) + 1)]

    def _stamps(self, kind: int, n: int) -> tuple[str, str]:
        created = self.t0 + kind * 86400 + n * 7207
        return iso(created), iso(created + (mix(self.seed, K_ASSETS + kind, n) % 90) * 86400)

    def _named(self, kind: int, n: int, name: str, path: str) -> dict:
        created, updated = self._stamps(kind, n)
        record_id = ulid(kind, n)
        return {
            "id": record_id,
            "name": name,
            "external_id": None,
            "created_at": created,
            "updated_at": updated,
            "url": f"{self.api}/{path}/{record_id}",
        }

    def _type(self, n: int, name: str, parent: str | None, keys: list[str]) -> dict:
        created, updated = self._stamps(3, n)
        record_id = ulid(3, n)
        # top-level types hang under the account's root type, which the list leaves out (as Zendesk's does)
        parent_id = ulid(3, [row[0] for row in TYPES].index(parent) + 1) if parent else ulid(3, 0)
        admin = self.account.users.admin_id()
        return {
            "id": record_id,
            "name": name,
            "description": None if parent else f"Every {name.lower()} asset",
            "external_id": None,
            "parent_id": parent_id,
            "hierarchy_depth": 2 if parent else 1,
            "is_standard": name != "License",
            "field_keys": keys,
            "created_at": created,
            "updated_at": updated,
            "created_by_user_id": admin,
            "updated_by_user_id": admin,
            "url": f"{self.api}/asset_types/{record_id}",
        }

    def _fields(self, n: int, kind: dict) -> list[dict]:
        out = []
        for position, key in enumerate(kind["field_keys"], 1):
            field_id = ASSET_FIELD + n * 100 + position
            title = key.replace("_", " ").capitalize()
            out.append(
                {
                    "id": field_id,
                    "key": key,
                    "title": title,
                    "raw_title": title,
                    "description": title,
                    "raw_description": title,
                    "type": FIELD_TYPES[key],
                    "active": True,
                    "system": False,
                    "position": position,
                    "regexp_for_validation": None,
                    "created_at": kind["created_at"],
                    "updated_at": kind["updated_at"],
                    "url": f"{kind['url']}/fields/{field_id}",
                }
            )
        return out

    def _asset(self, n: int, leaves: list[dict]) -> dict:
        h = mix(self.seed, K_ASSETS, n)
        kind = leaves[h % len(leaves)]
        maker, model = MAKERS[(h >> 4) % len(MAKERS)]
        users, orgs = self.account.users, self.account.settings.organizations_count
        held = h % 5 != 0
        created, updated = self._stamps(4, n)
        bought = self.t0 + (n * 7207) - (h >> 8) % 200 * 86400
        record_id = ulid(4, n)
        values = {key: self._value(key, h) for key in kind["field_keys"]}
        return {
            "id": record_id,
            "name": f"{kind['name']} {n:04d}",
            "asset_type_id": kind["id"],
            "asset_tag": f"IT-{n:06d}",
            "serial_number": f"SN{h % 10**10:010d}",
            "external_id": None,
            "manufacturer": maker,
            "model": model,
            "vendor": VENDORS[(h >> 12) % len(VENDORS)],
            "status_id": self.statuses[1 if held else (h >> 16) % len(STATUSES)]["id"],
            "location_id": self.locations[(h >> 20) % len(LOCATIONS)]["id"] if h % 7 else None,
            "user_id": (users.agent_id(h >> 24) if h % 3 else users.end_user_id(h >> 24)) if held else None,
            "organization_id": ids.ORGANIZATION + 1 + (h >> 28) % orgs if held and h % 4 == 0 else None,
            "purchase_cost": round(100 + (h >> 32) % 300000 / 100, 2),
            "purchase_date": day(bought),
            "warranty_expiration": day(bought + 3 * 365 * 86400) if h % 6 else None,
            "notes": None,
            "custom_field_values": values,
            "created_at": created,
            "updated_at": updated,
            "url": f"{self.api}/assets/{record_id}",
        }

    @staticmethod
    def _value(key: str, h: int):
        return {
            "ram_total": f"{8 << (h % 3)}Gb",
            "storage_capacity": f"{256 << (h % 3)}Gb",
            "operating_system": "macOS",
            "imei": f"35{h % 10**13:013d}",
            "phone_number": None,
            "warranty_provider": None,
            "seats": 5 + h % 50,
            "license_key_hint": None,
        }[key]

    def type_by_id(self, type_id: str) -> dict | None:
        return next((kind for kind in self.asset_types if kind["id"] == type_id), None)


def it_assets(account) -> ItAssets:
    value = account.__dict__.get("_it_assets")
    if value is None:
        value = account.__dict__["_it_assets"] = ItAssets(account)
    return value
