"""GET /macros/{macro_id}/attachments: the files attached to one macro, whole in one response."""

from __future__ import annotations

from ..foundation import errors
from ..data.macro_attachments import attachments_of
from ..paging.endpoint import Ctx


def macro_attachments(ctx: Ctx) -> dict:
    for macro in ctx.account.config.macros:
        if str(macro["id"]) == ctx.params["macro_id"]:
            return {"macro_attachments": attachments_of(ctx.account, macro)}
    raise errors.record_not_found()
