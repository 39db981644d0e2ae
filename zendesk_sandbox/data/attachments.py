"""Attachments on ticket comments (issue 7): comment j of ticket i carries 0-2 attachments, chosen from
(seed, i % PERIOD, j) so totals over any ticket range are closed-form like the other per-ticket counts.

The same list appears wherever the comment does: per-ticket comments, audits' Comment events and the
comment_events of the ticket-event export (API notes §6.2, Zendesk's Attachment object)."""

from __future__ import annotations

from .periodic import PERIOD, Periodic
from .pools import mix

ATTACHMENT = 33_000_000_000_000  # + (ticket * 4096 + comment) * 4 + n
THUMBNAIL = 34_000_000_000_000
MAX_COMMENTS = 64  # base comments per ticket are far fewer; mutation comments reuse the pattern past this
K_ATTACH = 601
FILES = [
    ("screenshot", "png", "image/png", (1280, 800)),
    ("invoice", "pdf", "application/pdf", None),
    ("photo", "jpg", "image/jpeg", (1024, 768)),
    ("log", "txt", "text/plain", None),
    ("report", "csv", "text/csv", None),
    ("diagram", "gif", "image/gif", (640, 480)),
]


def attachment_count(seed: int, i: int, j: int) -> int:
    """About 1 comment in 5 has one attachment and 1 in 20 has two."""
    h = mix(seed, K_ATTACH, (i % PERIOD) * MAX_COMMENTS + j % MAX_COMMENTS) % 20
    return 2 if h == 0 else 1 if h < 4 else 0


def attachments(account, i: int, j: int) -> list[dict]:
    seed = account.settings.seed
    base, host = account.base_url, f"https://{account.settings.subdomain}.zendesk.com"
    out = []
    for n in range(attachment_count(seed, i, j)):
        h = mix(seed, K_ATTACH + 1, (i * 4096 + j) * 4 + n)
        stem, ext, ctype, dims = FILES[h % len(FILES)]
        aid = ATTACHMENT + (i * 4096 + j) * 4 + n
        token = f"{h:016x}"
        name = f"{stem}-{i}-{j + 1}{'-' + str(n + 1) if n else ''}.{ext}"
        content_url = f"{host}/attachments/token/{token}/?name={name}"
        mapped = f"{base}/attachments/token/{token}/?name={name}"
        thumbnails = []
        if dims is not None:
            tid = THUMBNAIL + (aid - ATTACHMENT)
            thumb = f"{stem}-{i}-{j + 1}_thumb.{ext}"
            thumbnails.append(
                {
                    "id": tid,
                    "url": f"{base}/api/v2/attachments/{tid}.json",
                    "file_name": thumb,
                    "content_url": f"{host}/attachments/token/{token}t/?name={thumb}",
                    "mapped_content_url": f"{base}/attachments/token/{token}t/?name={thumb}",
                    "content_type": ctype,
                    "size": 2000 + h % 3000,
                    "width": 80,
                    "height": 50,
                    "inline": False,
                    "deleted": False,
                    "malware_access_override": False,
                    "malware_scan_result": "malware_not_found",
                }
            )
        out.append(
            {
                "id": aid,
                "url": f"{base}/api/v2/attachments/{aid}.json",
                "file_name": name,
                "content_url": content_url,
                "mapped_content_url": mapped,
                "content_type": ctype,
                "size": 1000 + (h >> 8) % 2_000_000,
                "width": dims[0] if dims else None,
                "height": dims[1] if dims else None,
                "inline": dims is not None and (h >> 40) % 5 == 0,
                "deleted": False,
                "malware_access_override": False,
                "malware_scan_result": "malware_not_found",
                "thumbnails": thumbnails,
            }
        )
    return out


def comments_attachment_total(seed: int, comment_js_of_shape) -> list[int]:
    """Per-residue attachment totals (index r = i % PERIOD), given the comment indexes of a ticket shape."""
    return [sum(attachment_count(seed, r, j) for j in comment_js_of_shape(r)) for r in range(PERIOD)]


def ticket_attachment_resource(account) -> dict:
    """Ground truth for /_sandbox/summary: attachments on comments of every ticket (total) and on what each
    endpoint shows (per-ticket comments and audits skip deleted tickets; the event export holds them all
    up to the hold-back)."""
    t, seed = account.tickets, account.settings.seed
    per_shape = Periodic(comments_attachment_total(seed, lambda r: range(t.shapes[r].n_comments)))
    per_shape_live = Periodic([0 if t.shapes[r].deleted else v for r, v in enumerate(per_shape.values)])

    def actual(i: int) -> int:
        return sum(attachment_count(seed, i, s[1]) for s in t.audits_spec(i) if s[5] is not None)

    total = per_shape.total(1, t.count)
    visible = per_shape_live.total(1, t.count)
    cutoff = account.export_cutoff()
    exported = total
    for i in t.changes:
        base = per_shape.values[i % PERIOD] if i <= t.count else 0
        now = actual(i)
        total += now - base
        exported += (
            sum(attachment_count(seed, i, s[1]) for s in t.audits_spec(i) if s[5] is not None and s[0] < cutoff) - base
        )
        if i <= t.count and not t.shape(i).deleted:
            visible -= base
        if not t.is_deleted(i):
            visible += now
    return {
        "total": total,
        "live": visible,
        "archived": 0,
        "deleted": total - visible,
        "endpoints": {
            "/api/v2/tickets/{ticket_id}/comments": visible,
            "/api/v2/tickets/{ticket_id}/audits": visible,
            "/api/v2/incremental/ticket_events": exported,
        },
    }


PHOTO = 35_000_000_000_000  # + user id offset * 2 (+1 for the thumbnail)
K_PHOTO = 602


def user_photo(account, user_id: int) -> dict:
    """A user's profile photo: an attachment object with one 32x32 thumbnail, as users' `photo` carries it."""
    base, host = account.base_url, f"https://{account.settings.subdomain}.zendesk.com"
    h = mix(account.settings.seed, K_PHOTO, user_id)
    pid = PHOTO + (user_id % 1_000_000_000) * 2
    ext, ctype = ("png", "image/png") if h % 3 else ("jpg", "image/jpeg")

    def image(aid: int, name: str, size: int, side: int) -> dict:
        return {
            "url": f"{base}/api/v2/attachments/{aid}.json",
            "id": aid,
            "file_name": name,
            "content_url": f"{host}/system/photos/{aid}/{name}",
            "mapped_content_url": f"{base}/system/photos/{aid}/{name}",
            "content_type": ctype,
            "size": size,
            "width": side,
            "height": side,
            "inline": False,
            "deleted": False,
        }

    photo = image(pid, f"profile.{ext}", 4000 + h % 20000, 80)
    photo["thumbnails"] = [image(pid + 1, f"profile_thumb.{ext}", 600 + (h >> 16) % 1500, 32)]
    return photo
