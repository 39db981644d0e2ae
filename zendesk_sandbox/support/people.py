"""Support handlers for users, organizations, their memberships, identities and groups."""

from __future__ import annotations

from typing import cast
from ..foundation import errors
from ..paging.cache import cached
from ..data import ids
from ..paging.endpoint import Ctx
from ..paging.support import Sorted


def user_index(ctx: Ctx, name: str = "user_id") -> int:
    try:
        index = ctx.account.users.index_of(int(ctx.params[name]))
    except ValueError:
        index = None
    if index is None or ctx.account.users.is_deleted(index):
        raise errors.record_not_found()
    return index


def me(ctx: Ctx) -> dict:
    return {"user": ctx.account.users.user(ctx.user_id - ids.USER)}


def user_show(ctx: Ctx) -> dict:
    return {"user": ctx.account.users.user(user_index(ctx))}


def user_items(ctx: Ctx) -> Sorted:
    account, users = ctx.account, ctx.account.users
    keys = cached(account, "users", lambda: [(users.id_base + index,) for index in users.active_indexes()])
    return Sorted(keys, lambda position: users.user(keys[position][0] - users.id_base), "id")


def deleted_user_items(ctx: Ctx) -> Sorted:
    account, users = ctx.account, ctx.account.users
    keys = cached(account, "deleted_users", lambda: [(users.id_base + index,) for index in users.deleted_indexes()])
    return Sorted(keys, lambda position: users.deleted_user(keys[position][0] - users.id_base), "id")


def identity_items(ctx: Ctx) -> Sorted:
    identities = ctx.account.users.identities(user_index(ctx))
    return Sorted([(identity["id"],) for identity in identities], identities.__getitem__, "id")


def organization_show(ctx: Ctx) -> dict:
    organizations = ctx.account.organizations
    try:
        index = organizations.index_of(int(ctx.params["organization_id"]))
    except ValueError:
        index = None
    if index is None or organizations.is_deleted(index):
        raise errors.record_not_found()
    return {"organization": organizations.organization(index)}


def organization_items(ctx: Ctx) -> Sorted:
    account, organizations = ctx.account, ctx.account.organizations
    base = organizations.id_base
    if ctx.query.get("sort") == "updated_at":
        keys = cached(
            account,
            "orgs:u",
            lambda: sorted((organizations.updated_ts(index), base + index) for index in organizations.active_indexes()),
        )
        return Sorted(keys, lambda position: organizations.organization(keys[position][1] - base), "updated_at,id")
    keys = cached(account, "orgs", lambda: [(base + index,) for index in organizations.active_indexes()])
    return Sorted(keys, lambda position: organizations.organization(keys[position][0] - base), "id")


def organization_membership_items(ctx: Ctx) -> Sorted:
    account, users = ctx.account, ctx.account.users
    keys = cached(
        account,
        "org_memberships",
        lambda: [
            (ids.ORG_MEMBERSHIP + index,)
            for index in users.active_indexes()
            if users.organization_index(index) is not None
        ],
    )
    # every key is a user with an organization, so each has its membership
    return Sorted(
        keys, lambda position: cast(dict, users.organization_membership(keys[position][0] - ids.ORG_MEMBERSHIP)), "id"
    )


def group_items(ctx: Ctx) -> Sorted:
    groups = ctx.account.config.groups
    if ctx.query.get("exclude_deleted", "true") != "false":
        groups = [group for group in groups if not group["deleted"]]
    return Sorted.of_records(groups, lambda group: (group["name"], group["id"]), "name,id")
