"""Files attached to macros (at most five each, as Zendesk allows): a third of the macros carry one or two,
attached when the macro last changed."""

from __future__ import annotations

MACRO_ATTACHMENT = 29_500_000_000_000  # + macro number * 8 + j
FILES = [("reply-template.pdf", "application/pdf", 48213), ("screenshot.png", "image/png", 182044)]


def attachments_of(account, macro: dict) -> list[dict]:
    n = macro["id"] % 1_000_000
    if n % 3:
        return []
    out = []
    for j in range(1 + n % 2):
        name, content_type, size = FILES[j]
        record_id = MACRO_ATTACHMENT + n * 8 + j
        out.append(
            {
                "id": record_id,
                "filename": name,
                "content_type": content_type,
                "size": size + n,
                "content_url": f"{account.base_url}/api/v2/macros/attachments/{record_id}/content",
                "created_at": macro["updated_at"],
            }
        )
    return out


def attachment_count(account) -> int:
    return sum(len(attachments_of(account, macro)) for macro in account.config.macros)
