"""Zendesk's error responses, with their exact bodies (see the API notes §2.1 and §5)."""

from __future__ import annotations

import orjson
from aiohttp import web

JSON = "application/json; charset=utf-8"


def json_response(body, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(body=orjson.dumps(body), status=status, headers={"Content-Type": JSON, **(headers or {})})


class ZendeskError(Exception):
    def __init__(self, status: int, body, content_type: str = JSON):
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.content_type = content_type

    def response(self) -> web.Response:
        if self.content_type == JSON:
            return json_response(self.body, self.status)
        return web.Response(body=self.body, status=self.status, headers={"Content-Type": self.content_type})


def invalid_endpoint():
    return ZendeskError(404, {"error": "InvalidEndpoint", "description": "Not found"})


def record_not_found():
    return ZendeskError(404, {"error": "RecordNotFound", "description": "Not found"})


def pagination_parameter(description: str):
    return ZendeskError(400, {"error": "InvalidPaginationParameter", "description": description})


def pagination_depth():
    title = (
        "Pagination requests using Offset Pagination are limited to page 100 or up to 10000 records (page * per_page)"
    )
    return ZendeskError(
        400,
        {
            "errors": [
                {
                    "code": "InvalidPaginationDepth",
                    "title": title,
                    "detail": "Use cursor based pagination instead: https://developer.zendesk.com/api-reference/introduction/pagination/",
                }
            ]
        },
    )


def too_many_values(name: str, limit: int):
    """A list parameter with more values than the endpoint takes (the body of Zendesk's bulk endpoints)."""
    description = f"Parameter {name} cannot specify more than {limit} values"
    return ZendeskError(400, {"error": "TooManyValues", "description": description, "max_count": limit})


def invalid_value(description: str):
    return ZendeskError(400, {"error": "InvalidValue", "description": description})


def start_time_too_recent(legacy: bool = False):
    if legacy:
        return ZendeskError(
            422,
            {"error": "InvalidValue", "description": "Too recent start_time. Use a start_time older than 5 minutes"},
        )
    return ZendeskError(
        400,
        {"error": "StartTimeTooRecent", "description": "Too recent start_time. Use a start_time older than 1 minute."},
    )


def couldnt_authenticate():
    return ZendeskError(401, {"error": "Couldn't authenticate you"})


def invalid_token():
    return ZendeskError(
        401,
        {
            "error": "invalid_token",
            "error_description": "The access token provided is expired, "
            "revoked, malformed or invalid for other reasons.",
        },
    )


def forbidden_admin_only():
    return ZendeskError(
        403,
        {
            "error": "Forbidden",
            "description": "You do not have access to this page. Please "
            "contact the account owner of this help desk for further help.",
        },
    )


def forbidden_restricted():
    return ZendeskError(
        403,
        {
            "error": {
                "title": "Forbidden",
                "message": "Access to this resource is restricted. "
                "Please contact the account administrator for assistance.",
            }
        },
    )


def invalid_search(detail: str):
    return ZendeskError(400, {"error": "invalid", "description": f"Invalid search: {detail}"})


def search_too_deep():
    return ZendeskError(
        422,
        {
            "error": "invalid",
            "description": "Invalid search: Requested response size was greater than Search Response Limits",
        },
    )
