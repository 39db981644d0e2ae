"""Parsed settings of one sandbox run (shared by the core, the rate limiter and the fault injector)."""

from __future__ import annotations

from dataclasses import dataclass, field

PLAN_RATE_LIMITS = {"team": 200, "professional": 400, "enterprise": 700, "high_volume": 2500}
PLAN_ORDER = ["team", "professional", "enterprise", "high_volume"]

# Default anchor: the base data ends here (epoch seconds, 2026-11-01T00:00:00Z). It is in the past for the
# real clock, which keeps data reproducible; if it were ever in the future the cli moves it back to "now - 10 min".
DEFAULT_ANCHOR = 1793491200


@dataclass
class SandboxSettings:
    seed: int = 1
    plan: str = "enterprise"
    rate_limit: int | None = None  # None = plan default, 0 = no account limit
    export_rate_limit: int | None = None  # None = 10/min (30 with high volume)
    time_scale: float = 1.0  # Zendesk's minute lasts 60 / time_scale real seconds
    holdback: float = 60.0  # Zendesk-seconds excluded at the head of the incremental exports
    faults: str | None = None
    subdomain: str = "sandbox"
    high_volume: bool = False
    # sizes of the generated account
    tickets: int = 1000
    users: int | None = None
    organizations: int | None = None
    groups: int | None = None
    brands: int | None = None
    features: list[str] = field(default_factory=lambda: ["csat", "ticket_forms", "help_center", "talk", "chat"])
    access_token_ttl: float = 1800.0  # Zendesk-seconds
    anchor: int = DEFAULT_ANCHOR  # epoch seconds where the generated history ends
    archive_days: int = 120
    recent_deletions: int | None = None  # tickets deleted in the days before start-up; None = scaled to the size
    allow_password_auth: bool = False
    too_recent_mode: str = "400"  # "400" (current) or "422" (legacy InvalidValue body)
    # some cursor endpoints (seen on /activities) answer has_more=true on a full last page, then one empty page
    trailing_empty_page: bool = False
    compress: bool = True  # gzip answers when the client accepts it, as Zendesk does
    host: str = "127.0.0.1"
    port: int = 0
    tls_cert: str | None = None
    tls_key: str | None = None

    def __post_init__(self) -> None:
        if self.plan not in PLAN_RATE_LIMITS:
            raise ValueError(f"unknown plan {self.plan!r}; choose from {', '.join(PLAN_ORDER)}")
        if self.plan == "high_volume":
            self.high_volume = True
        if self.time_scale <= 0:
            raise ValueError("time_scale must be positive")
        if self.recent_deletions is not None and not 0 <= self.recent_deletions <= 100_000:
            raise ValueError("recent_deletions must be a whole number from 0 to 100000")

    @property
    def account_rate_limit(self) -> int:
        """Requests per Zendesk-minute for the account (0 = unlimited)."""
        if self.rate_limit is not None:
            return self.rate_limit
        return PLAN_RATE_LIMITS[self.plan]

    @property
    def incremental_rate_limit(self) -> int:
        if self.export_rate_limit is not None:
            return self.export_rate_limit
        return 30 if self.high_volume else 10

    def plan_at_least(self, plan: str) -> bool:
        return PLAN_ORDER.index(self.plan) >= PLAN_ORDER.index(plan)

    def has_feature(self, name: str) -> bool:
        return name in self.features

    @property
    def recent_deletions_count(self) -> int:
        if self.recent_deletions is not None:
            return self.recent_deletions
        return max(3, min(100, self.tickets // 100))

    @property
    def users_count(self) -> int:
        return self.users if self.users is not None else max(20, self.tickets // 4)

    @property
    def organizations_count(self) -> int:
        return self.organizations if self.organizations is not None else max(5, self.tickets // 40)

    @property
    def groups_count(self) -> int:
        return self.groups if self.groups is not None else max(3, min(50, self.tickets // 500 + 3))

    @property
    def brands_count(self) -> int:
        return self.brands if self.brands is not None else 2
