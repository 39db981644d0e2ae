"""What one request brings back: the raw bytes (kept compressed while shared), and the parsed answer streams read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import orjson


@dataclass
class RawAnswer:
    status: int
    content: bytes
    headers: Mapping[str, str]


class FeatureUnavailable(Exception):
    """Zendesk answered 403/404: the plan, the product or the token's role does not include this data."""

    def __init__(self, status: int, url: str, body: bytes):
        self.status = status
        self.url = url
        super().__init__(f"HTTP {status} from {url} ({len(body)} bytes)")


@dataclass
class ApiAnswer:
    status: int
    body: Any
    headers: Mapping[str, str]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def parse_answer(raw: RawAnswer) -> ApiAnswer:
    try:
        body = orjson.loads(raw.content) if raw.content else None
    except orjson.JSONDecodeError:
        body = None
    return ApiAnswer(raw.status, body, raw.headers)
