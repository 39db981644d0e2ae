"""The sandbox's skill-based routing exports, IT asset management, macro attachments and Help Center labels,
locales and translations: paging as Zendesk describes it, gates, and answers valid against Zendesk's OpenAPI
description where it is there."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
import yaml

from sandbox_client import Client
from sandbox_fixture import running_sandbox
from test_sandbox_custom_objects import _Loader, _openapi_to_jsonschema

pytestmark = pytest.mark.process  # starts the sandbox

ROUTING = "/api/v2/incremental/routing/"
ITAM = "/api/v2/it_asset_management/"


@pytest.fixture(scope="module")
def client():
    with running_sandbox("--tickets", "200", "--seed", "6", "--rate-limit", "0", "--export-rate-limit", "0") as info:
        yield Client(info)


def walk_routing(client, kind, **params):
    changes, pages, query = [], [], {"start_time": 0, **params}
    for _ in range(1000):
        body = client.json(ROUTING + kind, query)
        pages.append(body)
        if not body[kind]:
            return changes, pages
        assert body["count"] == len(body[kind])
        changes.extend(body[kind])
        query = {"cursor": parse_qs(urlsplit(body["next_page"]).query)["cursor"][0], **params}
    raise AssertionError("the export did not end")


@pytest.mark.parametrize("kind", ["attributes", "attribute_values", "instance_values"])
def test_routing_exports_page_by_cursor_in_time_order_and_end_on_an_empty_page(client, kind):
    whole, _ = walk_routing(client, kind)
    paged, pages = walk_routing(client, kind, per_page=2)
    assert paged == whole and len(pages) > 2
    assert [change["time"] for change in whole] == sorted(change["time"] for change in whole)
    assert pages[-1]["next_page"] and client.json(pages[-1]["next_page"])[kind] == []  # the last cursor stays valid
    types = {change["type"] for change in whole}
    assert types <= (
        {"associate_agent", "unassociate_agent", "associate_ticket", "unassociate_ticket"}
        if kind == "instance_values"
        else {"create", "update", "delete"}
    )


def test_routing_exports_keep_deletions_and_filter_by_start_time(client):
    attributes, _ = walk_routing(client, "attributes")
    assert {"create", "update", "delete"} <= {change["type"] for change in attributes}
    live = {attribute["id"] for attribute in client.json("/api/v2/routing/attributes")["attributes"]}
    deleted = {change["id"] for change in attributes if change["type"] == "delete"}
    assert deleted and not deleted & live
    late = client.json(ROUTING + "attributes", {"start_time": 4102444800})
    assert late["attributes"] == [] and late["next_page"]
    client.get(ROUTING + "attributes", {"cursor": "not-a-cursor"}, expect=400)


def test_assets_come_in_cursor_pages_and_name_what_exists(client):
    assets = client.walk_cursor(ITAM + "assets", "assets", size=10)
    assert len(assets) == len({asset["id"] for asset in assets}) > 10
    types = {kind["id"]: kind for kind in client.json(ITAM + "asset_types")["asset_types"]}
    statuses = {status["id"] for status in client.json(ITAM + "statuses")["statuses"]}
    locations = {location["id"] for location in client.walk_cursor(ITAM + "locations", "locations")}
    for asset in assets:
        assert types[asset["asset_type_id"]]["hierarchy_depth"] == 2 and asset["status_id"] in statuses
        assert asset["location_id"] is None or asset["location_id"] in locations
        assert set(asset["custom_field_values"]) == set(types[asset["asset_type_id"]]["field_keys"])
    for kind in types.values():
        fields = client.json(f"{ITAM}asset_types/{kind['id']}/fields")["fields"]
        assert [field["key"] for field in fields] == kind["field_keys"]
    client.get(f"{ITAM}asset_types/01K9BTNOSUCHTYPE000000000/fields", expect=404)


def test_help_center_translations_labels_and_locales_agree_with_the_articles(client):
    locales = client.json("/api/v2/help_center/locales")
    assert locales["default_locale"] in locales["locales"]
    labels = {label["name"] for label in client.walk_cursor("/api/v2/help_center/articles/labels", "labels")}
    articles = client.walk_cursor("/api/v2/help_center/articles", "articles")
    assert {name for article in articles for name in article["label_names"]} <= labels
    for article in articles[:20]:
        translations = client.json(f"/api/v2/help_center/articles/{article['id']}/translations")["translations"]
        assert {t["source_id"] for t in translations} == {article["id"]}
        assert {t["locale"] for t in translations} <= set(locales["locales"])
        assert article["source_locale"] in {t["locale"] for t in translations}


def test_add_ons_answer_403_below_their_plan():
    with running_sandbox("--tickets", "20", "--plan", "team", "--rate-limit", "0", "--export-rate-limit", "0") as info:
        client = Client(info)
        trigger = client.json("/api/v2/triggers")["triggers"][0]["id"]
        for path in (
            ROUTING + "attributes",
            ITAM + "assets",
            ITAM + "asset_types",
            ITAM + "statuses",
            f"/api/v2/triggers/{trigger}/revisions",
        ):
            client.get(path, expect=403)


@pytest.mark.oas
def test_answers_are_valid_against_zendesks_description(oas_dir, client):
    support = yaml.load((oas_dir / "support-api.yaml").read_text(), Loader=_Loader)
    help_center = yaml.load((oas_dir / "help-center-api.yaml").read_text(), Loader=_Loader)

    def validate(document, path_template, path, params=None, nullable=()):
        operation = document["paths"][path_template]["get"]
        schema = _openapi_to_jsonschema(
            document, operation["responses"]["200"]["content"]["application/json"]["schema"]
        )
        for name in nullable:
            schema["properties"][name]["type"] = [schema["properties"][name]["type"], "null"]
        jsonschema.validate(client.json(path, params), schema)

    for kind in ("attributes", "attribute_values", "instance_values"):
        validate(support, ROUTING + kind, ROUTING + kind, {"start_time": 0})
    kind = client.json(ITAM + "asset_types")["asset_types"][1]["id"]
    for path in ("assets", "asset_types", "statuses", "locations"):
        validate(support, ITAM + path, ITAM + path)
    validate(support, ITAM + "asset_types/{asset_type_id}/fields", f"{ITAM}asset_types/{kind}/fields")
    macro = client.json("/api/v2/macros")["macros"][2]["id"]
    validate(support, "/api/v2/macros/{macro_id}/attachments", f"/api/v2/macros/{macro}/attachments")
    article = client.json("/api/v2/help_center/articles")["articles"][0]["id"]
    validate(help_center, "/api/v2/help_center/articles/labels", "/api/v2/help_center/articles/labels")
    validate(help_center, "/api/v2/help_center/locales", "/api/v2/help_center/locales")
    validate(
        help_center,
        "/api/v2/help_center/articles/{article_id}/translations",
        f"/api/v2/help_center/articles/{article}/translations",
    )
    section = client.json("/api/v2/help_center/sections")["sections"][2]["id"]
    validate(
        help_center,
        "/api/v2/help_center/{locale}/sections/{section_id}/subscriptions",
        f"/api/v2/help_center/en-us/sections/{section}/subscriptions",
    )
    topic = client.json("/api/v2/community/topics")["topics"][0]["id"]
    validate(
        help_center,
        "/api/v2/community/topics/{topic_id}/subscriptions",
        f"/api/v2/community/topics/{topic}/subscriptions",
    )
    trigger = client.json("/api/v2/triggers")["triggers"][0]["id"]
    # "The properties are null if no more records are available", says the description beside its schema.
    validate(
        support,
        "/api/v2/triggers/{trigger_id}/revisions",
        f"/api/v2/triggers/{trigger}/revisions",
        nullable=("before_url", "after_url", "before_cursor", "after_cursor"),
    )
    ticket = next(
        t["id"]
        for t in client.walk_cursor("/api/v2/tickets", "tickets")
        if client.json(f"/api/v2/tickets/{t['id']}/task_lists")["task_lists"]
    )
    validate(support, "/api/v2/tickets/{ticket_id}/task_lists", f"/api/v2/tickets/{ticket}/task_lists")


def test_trigger_revisions_page_newest_first_through_before_url(client):
    triggers = client.walk_cursor("/api/v2/triggers", "triggers")
    trigger = next(t for t in triggers if t["id"] % 3 == 2)  # three revisions
    path = f"/api/v2/triggers/{trigger['id']}/revisions"
    whole = client.json(path)
    assert whole["before_url"] is None and whole["after_url"] is None and whole["count"] == 3
    times = [revision["created_at"] for revision in whole["trigger_revisions"]]
    assert (
        times == sorted(times, reverse=True)
        and times[0] == trigger["updated_at"]
        and times[-1] == trigger["created_at"]
    )
    assert whole["trigger_revisions"][0]["snapshot"]["title"] == trigger["title"]
    first = client.json(path, {"limit": 2})
    rest = client.json(first["before_url"])
    assert first["trigger_revisions"] + rest["trigger_revisions"] == whole["trigger_revisions"]
    assert (
        rest["before_url"] is None and client.json(rest["after_url"])["trigger_revisions"] == first["trigger_revisions"]
    )


def test_topic_subscriptions_match_the_follower_count(client):
    for topic in client.walk_cursor("/api/v2/community/topics", "topics"):
        subscriptions = client.json(f"/api/v2/community/topics/{topic['id']}/subscriptions")["subscriptions"]
        assert len(subscriptions) == topic["follower_count"]
        assert all(s["content_id"] == topic["id"] and s["content_type"] == "Topic" for s in subscriptions)
