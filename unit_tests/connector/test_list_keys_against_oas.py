"""Each stream reads the list key Zendesk's OpenAPI description gives for its endpoint.

A wrong list key is a silent bug (zero records, no error), so it is checked against Zendesk's own description.
The description is reference material beside the repository (see unit_tests/conftest.py: marker `oas`).
"""

from __future__ import annotations

import pytest
import yaml

from source_zendesk_support.registry.table import ALL_STREAMS

FILES = {"support": "support-api.yaml", "help_center": "help-center-api.yaml"}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


_Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def _load(oas_dir, product: str):
    path = oas_dir / FILES[product]
    if not path.exists():
        pytest.fail(f"{path} is missing from Zendesk's OpenAPI description")
    return yaml.load(path.read_text(), Loader=_Loader)


def _resolve(document, node, depth=0):
    if depth > 12 or not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = document
        for part in node["$ref"].split("/")[1:]:
            target = target[part]
        return _resolve(document, target, depth + 1)
    if "allOf" in node:
        properties = {}
        for part in node["allOf"]:
            resolved = _resolve(document, part, depth + 1)
            properties.update((resolved or {}).get("properties") or {})
        return {"properties": properties}
    return node


def _response_keys(document, path):
    item = document["paths"].get(path) or document["paths"].get(path + ".json")
    if not item or "get" not in item:
        return None
    response = _resolve(document, (item["get"].get("responses") or {}).get("200") or {})
    schema = _resolve(document, ((response.get("content") or {}).get("application/json") or {}).get("schema") or {})
    return set((schema.get("properties") or {}).keys())


@pytest.mark.oas
@pytest.mark.parametrize("product", sorted(FILES))
def test_list_keys_match_zendesks_description(oas_dir, product):
    document = _load(oas_dir, product)
    checked, wrong = 0, []
    for spec in ALL_STREAMS:
        if spec.product != product or "{" in spec.path or not spec.list_key:
            continue
        keys = _response_keys(document, "/api/v2/" + spec.path)
        if not keys:
            continue  # the description has no usable response for this path
        checked += 1
        if spec.list_key not in keys:
            wrong.append(f"{spec.name}: list_key {spec.list_key!r}, Zendesk describes {sorted(keys)}")
    assert not wrong, "\n".join(wrong)
    assert checked >= (30 if product == "support" else 3)
