"""The row type of every endpoint table (Support, Help Center, Talk, Chat): a path bound to its resource, its
handler and the plan gate it answers behind, and what a handler gets from the request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..foundation import errors

if TYPE_CHECKING:
    from multidict import MultiMapping

    from ..data.account import Account


@dataclass
class Ctx:
    """What a handler needs from the request."""

    account: Account
    query: MultiMapping[str]
    params: dict
    path: str  # as requested (keeps a .json suffix)
    user_id: int
    role: str

    @property
    def base(self) -> str:
        return self.account.base_url


@dataclass(frozen=True)
class Endpoint:
    path: str
    resource: str
    handle: Callable[[Ctx], dict]
    admin_only: bool = False
    gate: Callable[[object], errors.ZendeskError | None] | None = None
    count: Callable[[object], int] | None = None  # ground truth: distinct records a full walk returns


def includes(ctx: Ctx) -> set[str]:
    """The names in `include=a,b`."""
    return {v.strip() for v in ctx.query.get("include", "").split(",") if v.strip()}


# ---- plan gates: settings -> the error Zendesk answers with, or None when the plan has the endpoint ----------
def plan_at_least(plan: str, error=errors.forbidden_admin_only):
    def gate(settings):
        return None if settings.plan_at_least(plan) else error()

    return gate


def feature(name: str, error=errors.forbidden_admin_only):
    def gate(settings):
        return None if settings.has_feature(name) else error()

    return gate


def not_team(settings):
    return errors.invalid_endpoint() if settings.plan == "team" else None


def side_conversations_gate(settings):
    if settings.has_feature("side_conversations"):
        return None
    return errors.ZendeskError(403, b"", content_type="text/html; charset=utf-8")


ENTERPRISE = plan_at_least("enterprise")
