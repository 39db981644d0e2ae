"""A small HTTP client for the sandbox tests: auth schemes, absolute next links, and walkers that follow each
pagination family to its end (written from Zendesk's documentation, not from the sandbox's code)."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit
from pathlib import Path

import jsonschema
import pytest
import requests


# The connector's stream schemas: read as files only, so the two packages stay independent.
SCHEMAS = Path(__file__).resolve().parents[2] / "source_zendesk_support" / "schemas"


def load_schema(stream: str) -> dict:
    """The stream's schema with `{"$ref": "x.json"}` replaced by schemas/shared/x.json."""

    def resolve(node):
        if isinstance(node, dict):
            if set(node) == {"$ref"} and node["$ref"].endswith(".json"):
                return resolve(json.loads((SCHEMAS / "shared" / node["$ref"]).read_text()))
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(json.loads((SCHEMAS / f"{stream}.json").read_text()))


def undeclared(schema: dict, value, path: str = "") -> list[str]:
    """Paths of fields in `value` that `schema` does not declare. Objects whose schema lists `properties` must
    not carry others (additionalProperties: true keeps records valid, so this is the only place that notices);
    an object schema without `properties` is a free-form map (user_fields, custom) and takes any key."""
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        found = [undeclared(branch, value, path) for branch in branches if _type_fits(branch, value)]
        return min(found, key=len) if found else []
    if isinstance(value, dict):
        properties = schema.get("properties")
        if properties is None:
            return []
        out = []
        for key, item in value.items():
            if key not in properties:
                out.append(f"{path}{key}")
            else:
                out.extend(undeclared(properties[key], item, f"{path}{key}."))
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        out = []
        for item in value:
            out.extend(p for p in undeclared(schema["items"], item, f"{path}[].") if p not in out)
        return out
    return []


def _type_fits(schema: dict, value) -> bool:
    types = schema.get("type")
    if types is None:
        return True
    types = types if isinstance(types, list) else [types]
    kind = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(value))
    if kind is None:
        kind = "integer" if isinstance(value, int) else "number"
    return kind in types or (kind == "integer" and "number" in types)


def check(stream: str, records: list[dict]) -> None:
    """Every served record of a stream conforms to the connector's schema for it and carries no field the
    schema does not declare."""
    if not (SCHEMAS / f"{stream}.json").exists():
        pytest.skip(f"no schema for {stream} yet")
    schema = load_schema(stream)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    assert records, f"the sandbox served no {stream}"
    extra: set[str] = set()
    for record in records:
        errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
        assert not errors, f"{stream} {record.get('id')}: " + "; ".join(
            f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]
        )
        extra.update(undeclared(schema, record))
    assert not extra, f"{stream}: the sandbox sends fields the schema does not declare: {sorted(extra)}"


# The endpoints that serve AI-agent tickets only when support_type_scope asks for them (Zendesk's default is
# the human agents' tickets).
TICKET_SCOPED_PATHS = (
    "/api/v2/incremental/tickets/cursor",
    "/api/v2/incremental/tickets",
    "/api/v2/incremental/ticket_events",
    "/api/v2/deleted_tickets",
    "/api/v2/tickets",
)


def scoped_path(url: str) -> bool:
    path = urlsplit(url).path
    path = path[: -len(".json")] if path.endswith(".json") else path
    return path in TICKET_SCOPED_PATHS


class Client:
    """`ticket_scope`: the support_type_scope the client sends to the ticket endpoints when a request names none
    (walks that count every record ask for every ticket); None sends none, as a client unaware of it."""

    def __init__(self, info: dict, scheme: str = "api_token", ticket_scope: str | None = "all"):
        self.info = info
        self.url = info["url"]
        self.ticket_scope = ticket_scope
        self.session = requests.Session()
        if scheme == "api_token":
            self.session.auth = (info["email"] + "/token", info["api_token"])
        elif scheme == "agent":
            self.session.auth = (info["agent_email"] + "/token", info["agent_api_token"])
        elif scheme == "bearer":
            self.session.headers["Authorization"] = f"Bearer {info['access_token']}"
        elif scheme == "none":
            pass
        else:
            raise ValueError(scheme)

    def get(self, path_or_url: str, params: dict | None = None, expect: int | None = 200) -> requests.Response:
        url = path_or_url if path_or_url.startswith("http") else self.url + path_or_url
        if (
            self.ticket_scope
            and scoped_path(url)
            and "support_type_scope" not in (params or {})
            and "support_type_scope=" not in urlsplit(url).query
        ):
            params = {**(params or {}), "support_type_scope": self.ticket_scope}
        for _ in range(50):
            r = self.session.get(url, params=params, timeout=30)
            if r.status_code == 429:  # the rate limiter may be active: honour Retry-After
                time.sleep(min(2.0, float(r.headers.get("Retry-After", "1")) / 60))
                continue
            break
        if expect is not None:
            assert r.status_code == expect, f"{url} {params}: {r.status_code} {r.text[:300]}"
        return r

    def json(self, path_or_url: str, params: dict | None = None) -> dict:
        return self.get(path_or_url, params).json()

    def summary(self) -> dict:
        return requests.get(self.url + "/_sandbox/summary", timeout=30).json()

    def mutate(self, spec: dict) -> dict:
        r = requests.post(self.url + "/_sandbox/mutate", json=spec, timeout=30)
        assert r.status_code == 200, r.text
        return r.json()

    # ---- walkers: each returns every record seen, in order (duplicates kept) -----------------------
    def walk_cursor(self, path: str, key: str, params: dict | None = None, size: int = 100) -> list[dict]:
        records, url, p = [], path, {**(params or {}), "page[size]": size}
        for _ in range(100000):
            body = self.json(url, p)
            records.extend(body[key])
            if not body["meta"]["has_more"]:
                return records
            url, p = body["links"]["next"], None
        raise AssertionError("cursor walk did not end")

    def walk_offset(self, path: str, key: str, params: dict | None = None, per_page: int = 100) -> list[dict]:
        records, url, p = [], path, {**(params or {}), "per_page": per_page}
        for _ in range(200):
            body = self.json(url, p)
            records.extend(body[key])
            if not body.get("next_page"):
                return records
            url, p = body["next_page"], None
        raise AssertionError("offset walk did not end")

    def walk_time_export(self, path: str, key: str, params: dict | None = None) -> tuple[list[dict], list[dict]]:
        """Returns (records, pages) where pages keep count/end_time/end_of_stream of each response."""
        records, pages, url, p = [], [], path, {"start_time": 0, **(params or {})}
        for _ in range(100000):
            body = self.json(url, p)
            records.extend(body[key])
            pages.append(
                {k: body[k] for k in ("count", "end_time", "end_of_stream", "next_page")}
                | {"ids": [r["id"] for r in body[key]]}
            )
            if body["end_of_stream"]:
                return records, pages
            url, p = body["next_page"], None
        raise AssertionError("time export did not end")

    def walk_cursor_export(self, path: str, key: str, params: dict | None = None) -> list[dict]:
        records, url, p = [], path, {"start_time": 0, **(params or {})}
        for _ in range(100000):
            body = self.json(url, p)
            records.extend(body[key])
            if body["end_of_stream"]:
                return records
            url, p = body["after_url"], None
        raise AssertionError("cursor export did not end")


def distinct_ids(records: list[dict], key: str = "id") -> set:
    return {r[key] for r in records}
