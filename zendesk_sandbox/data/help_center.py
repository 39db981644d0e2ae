"""Help Center (Guide) and community data: categories > sections > articles (with comments, votes and
attachments), user segments, permission groups, topics > posts (with comments and votes).

Articles and posts are lazy `Series` sized from the ticket count; their children are computed from
(seed, parent index), so per-parent counts need no storage. Authors are the account's agents; commenters and
voters are its users. Small objects (categories, sections, topics, segments, groups) are built eagerly."""

from __future__ import annotations

from .pools import mix
from .series import Series
from .timeline import iso

LOCALE = "en-us"
CATEGORY, SECTION, ARTICLE, ARTICLE_COMMENT, VOTE, ARTICLE_ATTACHMENT = (
    20_000_000_000_000,
    20_100_000_000_000,
    21_000_000_000_000,
    22_000_000_000_000,
    23_000_000_000_000,
    24_000_000_000_000,
)
TOPIC, POST, POST_COMMENT, USER_SEGMENT, PERMISSION_GROUP = (
    25_000_000_000_000,
    26_000_000_000_000,
    27_000_000_000_000,
    28_000_000_000_000,
    28_100_000_000_000,
)
CHILDREN = 16  # id stride per parent: comment (k, j) is BASE + k * 16 + j
# vote ids: VOTE + kind * 10^11 + parent * 64 + n
VOTE_ARTICLE, VOTE_ARTICLE_COMMENT, VOTE_POST, VOTE_POST_COMMENT = 0, 1, 2, 3
K_ARTICLE, K_POST, K_COMMENT_VOTES = 301, 302, 303
YEAR = 365 * 86400
ATTACHMENT_TYPES = [
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("jpg", "image/jpeg"),
]


def article_count(tickets: int) -> int:
    return min(20000, max(20, tickets // 20))


def post_count(tickets: int) -> int:
    return min(20000, max(10, tickets // 25))


class HelpCenter:
    def __init__(self, account):
        self.account = account
        s = account.settings
        self.seed = s.seed
        self.base = account.base_url
        self.host = f"https://{s.subdomain}.zendesk.com"
        start = account.history_start
        self.articles = Series(article_count(s.tickets), start, account.anchor)
        self.posts = Series(post_count(s.tickets), start, account.anchor)
        pools = account.pools
        n_categories = max(2, min(12, s.tickets // 5000 + 2))
        self.categories = [self._category(n, pools) for n in range(1, n_categories + 1)]
        self.sections = [self._section(n, pools) for n in range(1, 3 * n_categories + 1)]
        self.user_segments = [self._segment(n) for n in range(1, 5)]
        self.permission_groups = [self._permission_group(n) for n in range(1, 3)]
        self.topics = [self._topic(n, pools) for n in range(1, max(3, min(10, s.tickets // 10000 + 3)) + 1)]

    # ---- small objects ----------------------------------------------------------------------------
    def _stamps(self, kind: int, n: int) -> tuple[str, str]:
        created = self.account.history_start - 30 * 86400 + n * 3601 + kind
        return iso(created), iso(created + 86400 * (1 + n % 40))

    def _category(self, n, pools):
        created, updated = self._stamps(1, n)
        cid = CATEGORY + n
        name = pools.subjects[(n * 13) % len(pools.subjects)]
        return {
            "id": cid,
            "url": self._url(f"help_center/{LOCALE}/categories/{cid}"),
            "html_url": f"{self.host}/hc/{LOCALE}/categories/{cid}",
            "position": n,
            "created_at": created,
            "updated_at": updated,
            "name": name,
            "description": pools.sentences[n % len(pools.sentences)],
            "locale": LOCALE,
            "source_locale": LOCALE,
            "outdated": False,
        }

    def _section(self, n, pools):
        created, updated = self._stamps(2, n)
        sid = SECTION + n
        category = self.categories[(n - 1) % len(self.categories)]
        # every third section nests under the section before it in the same category
        parent = SECTION + n - len(self.categories) if n > len(self.categories) and n % 3 == 0 else None
        return {
            "id": sid,
            "url": self._url(f"help_center/{LOCALE}/sections/{sid}"),
            "html_url": f"{self.host}/hc/{LOCALE}/sections/{sid}",
            "category_id": category["id"],
            "position": n,
            "sorting": "manual",
            "created_at": created,
            "updated_at": updated,
            "name": pools.subjects[(n * 17 + 5) % len(pools.subjects)],
            "description": pools.sentences[(n * 3) % len(pools.sentences)],
            "locale": LOCALE,
            "source_locale": LOCALE,
            "outdated": False,
            "parent_section_id": parent,
            "theme_template": "section_page",
            "user_segment_id": None,
        }

    def _segment(self, n):
        created, updated = self._stamps(3, n)
        kinds = [
            ("Signed-in users", "signed_in_users", True),
            ("Agents and admins", "staff", True),
            ("VIP customers", "signed_in_users", False),
            ("Support agents", "staff", False),
        ]
        name, user_type, built_in = kinds[n - 1]
        groups = [g["id"] for g in self.account.config.groups[:1]] if n == 4 else []
        orgs = [self.account.organizations.id_base + 1] if n == 3 else []
        return {
            "id": USER_SEGMENT + n,
            "user_type": user_type,
            "group_ids": groups,
            "organization_ids": orgs,
            "tags": ["vip"] if n == 3 else [],
            "or_tags": [],
            "added_user_ids": [],
            "name": name,
            "built_in": built_in,
            "created_at": created,
            "updated_at": updated,
        }

    def _permission_group(self, n):
        created, updated = self._stamps(4, n)
        admin = self.account.users.admin_id()
        return {
            "id": PERMISSION_GROUP + n,
            "name": ["Admins", "Agents and managers"][n - 1],
            "built_in": n == 1,
            "publish": [USER_SEGMENT + 2],
            "edit": [USER_SEGMENT + 2] if n == 2 else [],
            "created_at": created,
            "updated_at": updated,
            "admin_id": admin,
        }

    def _topic(self, n, pools):
        created, updated = self._stamps(5, n)
        tid = TOPIC + n
        return {
            "id": tid,
            "url": self._url(f"community/topics/{tid}"),
            "html_url": f"{self.host}/hc/{LOCALE}/community/topics/{tid}",
            "name": pools.subjects[(n * 29) % len(pools.subjects)],
            "description": pools.sentences[(n * 7) % len(pools.sentences)],
            "position": n,
            "follower_count": n * 3,
            "community_id": 1,
            "user_segment_id": None,
            "manageable_by": "managers",
            "created_at": created,
            "updated_at": updated,
        }

    def _url(self, path: str) -> str:
        return f"{self.base}/api/v2/{path}.json"

    # ---- articles ---------------------------------------------------------------------------------
    def article_index(self, article_id) -> int | None:
        try:
            k = int(article_id) - ARTICLE
        except (TypeError, ValueError):
            return None
        return k if self.articles.exists(k) and not self.articles.is_deleted(k) else None

    def article_shape(self, k: int) -> tuple[int, int, int]:
        """(comments, votes, attachments) of article k."""
        h = mix(self.seed, K_ARTICLE, k)
        return h % 4, (h >> 8) % 5, (h >> 16) % 3

    def article_section(self, k: int) -> dict:
        return self.sections[mix(self.seed, K_ARTICLE + 10, k) % len(self.sections)]

    def article_created(self, k: int) -> int:
        return self.articles.base_created_ts(k, YEAR // 2)

    def article(self, k: int) -> dict:
        s, pools = self.articles, self.account.pools
        h = mix(self.seed, K_ARTICLE + 1, k)
        aid = ARTICLE + k
        created, updated = self.article_created(k), s.updated_ts(k)
        title = pools.subjects[h % len(pools.subjects)]
        if s.revision(k):
            title = f"{title} (rev {s.revision(k)})"
        votes = self.votes_of(VOTE_ARTICLE, k, self.article_shape(k)[1], created, "Article", aid)
        segment = USER_SEGMENT + 3 if h % 11 == 0 else None
        body = pools.paragraphs[(h >> 12) % len(pools.paragraphs)]
        return {
            "id": aid,
            "url": self._url(f"help_center/{LOCALE}/articles/{aid}"),
            "html_url": f"{self.host}/hc/{LOCALE}/articles/{aid}",
            "author_id": self.account.users.agent_id((h >> 20) & 0xFFF),
            "comments_disabled": h % 13 == 0,
            "draft": h % 17 == 0,
            "promoted": h % 19 == 0,
            "position": k % 50,
            "vote_sum": sum(v["value"] for v in votes),
            "vote_count": len(votes),
            "section_id": self.article_section(k)["id"],
            "created_at": iso(created),
            "updated_at": iso(updated),
            "edited_at": iso(updated),
            "name": title,
            "title": title,
            "source_locale": LOCALE,
            "locale": LOCALE,
            "outdated": False,
            "outdated_locales": [],
            "permission_group_id": PERMISSION_GROUP + 1 + (h >> 30) % 2,
            "user_segment_id": segment,
            "user_segment_ids": [segment] if segment else [],
            "label_names": [pools.words[(h >> 34) % len(pools.words)]] if h % 3 else [],
            "content_tag_ids": [],
            "body": f"<p>{body}</p>",
        }

    def article_comments(self, k: int) -> list[dict]:
        aid = ARTICLE + k
        created = self.article_created(k)
        out = []
        base = self.article_shape(k)[0]
        for j in range(self.article_comment_count(k)):
            h = mix(self.seed, K_ARTICLE + 2, k * CHILDREN + j)
            cid = ARTICLE_COMMENT + k * CHILDREN + j
            ts = self._child_ts(created, j) if j < base else self.articles.updated_ts(k)
            votes = self.votes_of(VOTE_ARTICLE_COMMENT, k * CHILDREN + j, self.comment_votes(k, j), ts, "Comment", cid)
            out.append(
                {
                    "id": cid,
                    "url": self._url(f"help_center/articles/{aid}/comments/{cid}"),
                    "html_url": f"{self.host}/hc/{LOCALE}/articles/{aid}/comments/{cid}",
                    "body": f"<p>{self.account.pools.sentences[h % len(self.account.pools.sentences)]}</p>",
                    "author_id": self.account.users.end_user_id(h >> 8 & 0xFFFFF),
                    "source_id": aid,
                    "source_type": "Article",
                    "locale": LOCALE,
                    "created_at": iso(ts),
                    "updated_at": iso(ts),
                    "vote_sum": sum(v["value"] for v in votes),
                    "vote_count": len(votes),
                    "non_author_editor_id": None,
                    "non_author_updated_at": None,
                }
            )
        return out

    def article_comment_count(self, k: int) -> int:
        """Each update through /_sandbox/mutate adds a comment, so a changed article has new children."""
        return min(CHILDREN - 1, self.article_shape(k)[0] + self.articles.revision(k))

    def post_comment_count(self, k: int) -> int:
        return min(CHILDREN - 1, self.post_shape(k)[0] + self.posts.revision(k))

    def comment_votes(self, k: int, j: int) -> int:
        return mix(self.seed, K_COMMENT_VOTES, k * CHILDREN + j) % 3

    def article_attachments(self, k: int) -> list[dict]:
        aid = ARTICLE + k
        created = iso(self.article_created(k))
        out = []
        for j in range(self.article_shape(k)[2]):
            h = mix(self.seed, K_ARTICLE + 3, k * CHILDREN + j)
            ext, ctype = ATTACHMENT_TYPES[h % len(ATTACHMENT_TYPES)]
            xid = ARTICLE_ATTACHMENT + k * CHILDREN + j
            name = f"{self.account.pools.words[(h >> 4) % len(self.account.pools.words)]}-{j + 1}.{ext}"
            out.append(
                {
                    "id": xid,
                    "url": self._url(f"help_center/articles/attachments/{xid}"),
                    "article_id": aid,
                    "file_name": name,
                    "display_file_name": name,
                    "content_type": ctype,
                    "content_url": f"{self.host}/hc/article_attachments/{xid}",
                    "relative_path": f"/hc/article_attachments/{xid}",
                    "size": 1000 + (h >> 8) % 500000,
                    "inline": ctype.startswith("image/") and j == 0,
                    "locale": LOCALE,
                    "guide_media_id": None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
        return out

    # ---- posts ------------------------------------------------------------------------------------
    def post_index(self, post_id) -> int | None:
        try:
            k = int(post_id) - POST
        except (TypeError, ValueError):
            return None
        return k if self.posts.exists(k) and not self.posts.is_deleted(k) else None

    def post_shape(self, k: int) -> tuple[int, int]:
        """(comments, votes) of post k."""
        h = mix(self.seed, K_POST, k)
        return h % 5, (h >> 8) % 6

    def post_created(self, k: int) -> int:
        return self.posts.base_created_ts(k, YEAR // 4)

    def post(self, k: int) -> dict:
        s, pools = self.posts, self.account.pools
        h = mix(self.seed, K_POST + 1, k)
        pid = POST + k
        created, updated = self.post_created(k), s.updated_ts(k)
        n_comments, n_votes = self.post_comment_count(k), self.post_shape(k)[1]
        votes = self.votes_of(VOTE_POST, k, n_votes, created, "Post", pid)
        title = pools.subjects[h % len(pools.subjects)]
        if s.revision(k):
            title = f"{title} (rev {s.revision(k)})"
        return {
            "id": pid,
            "url": self._url(f"community/posts/{pid}"),
            "html_url": f"{self.host}/hc/{LOCALE}/community/posts/{pid}",
            "title": title,
            "details": f"<p>{pools.paragraphs[(h >> 10) % len(pools.paragraphs)]}</p>",
            "author_id": self.account.users.end_user_id((h >> 20) & 0xFFFFF),
            "vote_sum": sum(v["value"] for v in votes),
            "vote_count": len(votes),
            "comment_count": n_comments,
            "follower_count": (h >> 40) % 7,
            "topic_id": self.topics[(h >> 44) % len(self.topics)]["id"],
            "created_at": iso(created),
            "updated_at": iso(updated),
            "status": ["none", "planned", "not_planned", "completed", "answered"][(h >> 48) % 5],
            "featured": h % 23 == 0,
            "pinned": h % 29 == 0,
            "closed": h % 31 == 0,
            "frozen": False,
            "non_author_editor_id": None,
            "non_author_updated_at": None,
            "content_tag_ids": [],
        }

    def post_comments(self, k: int) -> list[dict]:
        pid = POST + k
        created = self.post_created(k)
        out = []
        base = self.post_shape(k)[0]
        for j in range(self.post_comment_count(k)):
            h = mix(self.seed, K_POST + 2, k * CHILDREN + j)
            cid = POST_COMMENT + k * CHILDREN + j
            ts = self._child_ts(created, j) if j < base else self.posts.updated_ts(k)
            votes = self.votes_of(
                VOTE_POST_COMMENT, k * CHILDREN + j, self.comment_votes(-k, j), ts, "PostComment", cid
            )
            users = self.account.users
            author = users.agent_id(h & 0xFFF) if h % 4 == 0 else users.end_user_id(h >> 8 & 0xFFFFF)
            out.append(
                {
                    "id": cid,
                    "url": self._url(f"community/posts/{pid}/comments/{cid}"),
                    "html_url": f"{self.host}/hc/{LOCALE}/community/posts/{pid}/comments/{cid}",
                    "body": f"<p>{self.account.pools.sentences[(h >> 30) % len(self.account.pools.sentences)]}</p>",
                    "author_id": author,
                    "post_id": pid,
                    "official": h % 4 == 0,
                    "created_at": iso(ts),
                    "updated_at": iso(ts),
                    "vote_sum": sum(v["value"] for v in votes),
                    "vote_count": len(votes),
                    "non_author_editor_id": None,
                    "non_author_updated_at": None,
                }
            )
        return out

    # ---- shared -----------------------------------------------------------------------------------
    def _child_ts(self, parent_created: int, j: int) -> int:
        return min(self.account.anchor, parent_created + (j + 1) * 3571)

    def votes_of(self, kind: int, parent: int, n: int, after: int, item_type: str, item_id: int) -> list[dict]:
        out = []
        for v in range(n):
            h = mix(self.seed, 310 + kind, parent * 64 + v)
            vid = VOTE + kind * 100_000_000_000 + parent * 64 + v
            ts = iso(min(self.account.anchor, after + (v + 1) * 1801))
            out.append(
                {
                    "id": vid,
                    "url": self._url(f"help_center/votes/{vid}"),
                    "user_id": self.account.users.end_user_id(h & 0xFFFFF),
                    "value": 1 if h % 5 else -1,
                    "item_id": item_id,
                    "item_type": item_type,
                    "created_at": ts,
                    "updated_at": ts,
                }
            )
        return out

    def counts(self) -> dict:
        """Children of live articles and posts, for the summary."""
        out = dict.fromkeys(
            (
                "article_comments",
                "article_votes",
                "article_comment_votes",
                "article_attachments",
                "post_comments",
                "post_votes",
                "post_comment_votes",
            ),
            0,
        )
        for k in self.articles.live_indexes():
            _, v, x = self.article_shape(k)
            c = self.article_comment_count(k)
            out["article_comments"] += c
            out["article_votes"] += v
            out["article_attachments"] += x
            out["article_comment_votes"] += sum(self.comment_votes(k, j) for j in range(c))
        for k in self.posts.live_indexes():
            v, c = self.post_shape(k)[1], self.post_comment_count(k)
            out["post_comments"] += c
            out["post_votes"] += v
            out["post_comment_votes"] += sum(self.comment_votes(-k, j) for j in range(c))
        return out
