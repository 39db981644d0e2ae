"""The account's custom objects: two objects of different shapes between them holding every field type, and
their records, each computed from (seed, object, index) plus an overlay of mutations.

Records are created and updated over the generated history; some were deleted. Zendesk's incremental export keeps
a deleted record for 30 days with every value replaced by "[DELETED]"; the records list and count show live
records only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import cast

from .pools import rng_for
from .timeline import iso

DAY = 86400
DELETED_WINDOW = 30 * DAY
PLACEHOLDER = "[DELETED]"
FIELD_ID = 17_000_000_000_000  # + object * 1000 + n
KIND = 9100  # rng kind of custom object records
# Crockford's base 32, the alphabet of Zendesk's record ids (ULIDs)
ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    type: str
    title: str
    options: tuple = ()
    target: str | None = None


@dataclass(frozen=True)
class ObjectSpec:
    key: str
    title: str
    title_pluralized: str
    records: int
    fields: tuple


OBJECTS = (
    ObjectSpec(
        "asset",
        "Asset",
        "Assets",
        180,
        (
            FieldSpec("serial_number", "text", "Serial number"),
            FieldSpec("notes", "textarea", "Notes"),
            FieldSpec("asset_tag", "regexp", "Asset tag"),
            FieldSpec("units", "integer", "Units"),
            FieldSpec("purchase_price", "decimal", "Purchase price"),
            FieldSpec("insured", "checkbox", "Insured"),
            FieldSpec("purchased_on", "date", "Purchased on"),
            FieldSpec("condition", "dropdown", "Condition", ("new", "used", "refurbished")),
            FieldSpec("locations", "multiselect", "Locations", ("berlin", "lisbon", "austin", "osaka")),
            FieldSpec("owner", "lookup", "Owner", target="zen:user"),
            FieldSpec("contract", "lookup", "Contract", target="zen:custom_object:contract"),
        ),
    ),
    ObjectSpec(
        "contract",
        "Contract",
        "Contracts",
        40,
        (
            FieldSpec("monthly_fee", "decimal", "Monthly fee"),
            FieldSpec("ends_on", "date", "Ends on"),
            FieldSpec("tier", "dropdown", "Tier", ("bronze", "silver", "gold")),
            FieldSpec("auto_renew", "checkbox", "Auto renew"),
            FieldSpec("organization", "lookup", "Organization", target="zen:organization"),
        ),
    ),
)


@dataclass
class RecordChange:
    updated_at: int
    deleted_at: int | None = None
    revision: int = 0


@dataclass
class ObjectRecords:
    spec: ObjectSpec
    number: int  # position of the object on the account, for ids
    next_index: int
    changes: dict = field(default_factory=dict)  # index -> RecordChange


def record_id(number: int, index: int, created: int) -> str:
    """A 26-character ULID: 48 bits of milliseconds, then bits standing for the object and index."""
    value = ((created * 1000) << 80) | (number << 40) | index
    return "".join(ULID_ALPHABET[(value >> (5 * k)) & 31] for k in reversed(range(26)))


class CustomObjects:
    def __init__(self, account):
        self.account = account
        self.seed = account.settings.seed
        self.created_at = account.history_start
        self.by_key = {spec.key: ObjectRecords(spec, n + 1, spec.records + 1) for n, spec in enumerate(OBJECTS)}

    # ---- definitions ----------------------------------------------------------------------------------
    def definition(self, key: str) -> dict:
        spec, base = self.by_key[key].spec, self.account.base_url
        return {
            "key": key,
            "title": spec.title,
            "raw_title": spec.title,
            "title_pluralized": spec.title_pluralized,
            "raw_title_pluralized": spec.title_pluralized,
            "description": f"{spec.title_pluralized} of the account",
            "raw_description": f"{spec.title_pluralized} of the account",
            "include_in_list_view": True,
            "allows_photos": False,
            "allows_attachments": False,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.created_at + DAY),
            "created_by_user_id": "1",
            "updated_by_user_id": "1",
            "url": f"{base}/api/v2/custom_objects/{key}.json",
        }

    def definitions(self) -> list[dict]:
        return [self.definition(key) for key in self.by_key]

    def fields(self, key: str) -> list[dict]:
        objects = self.by_key[key]
        out = []
        for n, spec in enumerate(objects.spec.fields, start=1):
            field_id = FIELD_ID + objects.number * 1000 + n
            body = {
                "id": field_id,
                "key": spec.key,
                "type": spec.type,
                "title": spec.title,
                "raw_title": spec.title,
                "description": spec.title,
                "raw_description": spec.title,
                "position": n - 1,
                "active": True,
                "system": False,
                "required": False,
                "regexp_for_validation": "^[A-Z]{2}-\\d+$" if spec.type == "regexp" else None,
                "created_at": iso(self.created_at),
                "updated_at": iso(self.created_at + DAY),
                "url": f"{self.account.base_url}/api/v2/custom_objects/{key}/fields/{field_id}.json",
            }
            if spec.options:
                body["custom_field_options"] = [
                    {
                        "id": field_id * 10 + k,
                        "name": value.capitalize(),
                        "raw_name": value.capitalize(),
                        "value": value,
                        "position": k,
                    }
                    for k, value in enumerate(spec.options)
                ]
            if spec.target:
                body["relationship_target_type"] = spec.target
                body["relationship_filter"] = {}
            out.append(body)
        return out

    # ---- records --------------------------------------------------------------------------------------
    def _generated(self, objects: ObjectRecords, index: int) -> tuple[int, int, int | None]:
        """(created, updated, deleted) of a generated record."""
        rng = rng_for(self.seed, KIND + objects.number, index)
        anchor, start = self.account.anchor, self.account.history_start
        created = start + int((anchor - start) * index / (objects.spec.records + 1)) + rng.randrange(3600)
        updated = min(anchor, created + rng.randrange(0, 200 * DAY))
        # one in twelve was deleted in the last sixty days: about half still inside the export's 30-day window
        deleted = anchor - rng.randrange(60 * DAY) if rng.random() < 1 / 12 else None
        if deleted is not None:
            deleted = max(deleted, updated)
        return created, updated, deleted

    def times(self, key: str, index: int) -> tuple[int, int, int | None]:
        objects = self.by_key[key]
        created, updated, deleted = (
            self._generated(objects, index) if index <= objects.spec.records else (None, None, None)
        )
        change = objects.changes.get(index)
        if change is not None:
            created = created if created is not None else change.updated_at
            updated, deleted = change.updated_at, change.deleted_at if change.deleted_at is not None else deleted
        return cast(int, created), cast(int, updated), deleted  # a record's index: generated, changed or both

    def indexes(self, key: str) -> range:
        return range(1, self.by_key[key].next_index)

    def is_live(self, key: str, index: int) -> bool:
        return self.times(key, index)[2] is None

    def in_export(self, key: str, index: int) -> bool:
        """Live, or deleted within the export's 30-day window."""
        deleted = self.times(key, index)[2]
        return deleted is None or deleted >= self.account.now() - DELETED_WINDOW

    def values(self, key: str, index: int, revision: int) -> dict:
        objects = self.by_key[key]
        rng = random.Random(rng_for(self.seed, KIND + objects.number, index).random() + revision)
        out: dict = {}
        for spec in objects.spec.fields:
            if rng.random() < 0.1:
                out[spec.key] = None
            elif spec.type in ("text", "textarea"):
                out[spec.key] = f"{spec.title} {index}-{rng.randrange(1000)}"
            elif spec.type == "regexp":
                out[spec.key] = f"AT-{rng.randrange(100000)}"
            elif spec.type == "integer":
                out[spec.key] = rng.randrange(1, 500)
            elif spec.type == "decimal":
                out[spec.key] = round(rng.uniform(1, 5000), 2)
            elif spec.type == "checkbox":
                out[spec.key] = rng.random() < 0.5
            elif spec.type == "date":
                out[spec.key] = iso(self.account.history_start + rng.randrange(800) * DAY)[:10]
            elif spec.type == "dropdown":
                out[spec.key] = rng.choice(spec.options)
            elif spec.type == "multiselect":
                out[spec.key] = sorted(rng.sample(spec.options, rng.randrange(1, len(spec.options) + 1)))
            elif spec.target == "zen:user":
                out[spec.key] = str(
                    self.account.users.id_base + 1 + rng.randrange(max(1, self.account.users.next_index - 1))
                )
            elif spec.target == "zen:organization":
                organizations = self.account.organizations
                out[spec.key] = str(organizations.id_base + 1 + rng.randrange(max(1, organizations.next_index - 1)))
            else:  # a record of another custom object
                target = self.by_key[spec.target.rsplit(":", 1)[1]]
                other = 1 + rng.randrange(target.spec.records)
                out[spec.key] = record_id(target.number, other, self.times(target.spec.key, other)[0])
        return out

    def record(self, key: str, index: int, export: bool = False) -> dict:
        """A record as the records list shows it, or as the export does: numbers written as strings there (as
        Zendesk's own example shows them), and every value of a deleted record replaced by the placeholder."""
        objects = self.by_key[key]
        created, updated, deleted = self.times(key, index)
        change = objects.changes.get(index)
        revision = change.revision if change else 0
        rid = record_id(objects.number, index, created)
        values = self.values(key, index, revision)
        name, external_id = f"{objects.spec.title} {index}", f"{key}-{index}"
        if export and deleted is not None:
            values = {name_: PLACEHOLDER for name_ in values}
            name = external_id = PLACEHOLDER
        elif export:
            values = {
                name_: str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
                for name_, value in values.items()
            }
        return {
            "id": rid,
            "name": name,
            "external_id": external_id,
            "custom_object_key": key,
            "custom_object_fields": values,
            "created_at": iso(created),
            "updated_at": iso(deleted if deleted is not None else updated),
            "created_by_user_id": "1",
            "updated_by_user_id": "1",
            "photo": None,
            "url": f"{self.account.base_url}/api/v2/custom_objects/{key}/records/{rid}.json",
        }

    def export_rows(self, key: str, after: tuple[int, int]):
        """(change time, index) of every record the export shows, ascending, strictly after `after`."""
        rows = []
        for index in self.indexes(key):
            if not self.in_export(key, index):
                continue
            _, updated, deleted = self.times(key, index)
            row = (deleted if deleted is not None else updated, index)
            if row > after:
                rows.append(row)
        rows.sort()
        return rows

    def live_count(self, key: str) -> int:
        return sum(1 for index in self.indexes(key) if self.is_live(key, index))

    def exported_count(self, key: str) -> int:
        return sum(1 for index in self.indexes(key) if self.in_export(key, index))

    # ---- mutations ------------------------------------------------------------------------------------
    def mutate(self, key: str, action: str, n: int, rng: random.Random) -> list[str]:
        objects, now = self.by_key[key], self.account.now()
        if action == "create":
            out = []
            for _ in range(n):
                index = objects.next_index
                objects.next_index += 1
                objects.changes[index] = RecordChange(updated_at=now)
                out.append(index)
        else:
            live = [index for index in self.indexes(key) if self.is_live(key, index)]
            out = sorted(rng.sample(live, min(n, len(live))))
            for index in out:
                change = objects.changes.get(index) or RecordChange(updated_at=now)
                change.updated_at, change.revision = now, change.revision + 1
                if action == "delete":
                    change.deleted_at = now
                objects.changes[index] = change
        return [record_id(objects.number, index, self.times(key, index)[0]) for index in out]
