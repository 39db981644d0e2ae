"""What the streams of one sync share: the config, credentials, rate budget and the sync-wide page machinery."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Set

from requests.auth import AuthBase

from ..config.model import ZendeskConfig
from ..http.origin_policy import OriginPolicy
from ..http.rate_budget import ZendeskRateBudget
from .account_counts import AccountCounts
from .page_permits import PagePermits
from .page_share import PageShare
from .read_tally import ReadTally
from .parent_lists import ParentLists

if TYPE_CHECKING:
    from ..streams.custom_objects import CustomObjectCatalog
    from ..streams.spec import StreamSpec


@dataclass
class SyncContext:
    """Everything the streams of one sync share."""

    config: ZendeskConfig
    authenticator: AuthBase
    budget: ZendeskRateBudget
    unavailable_streams: Set[str] = field(default_factory=set)
    page_share: PageShare = field(default_factory=PageShare)
    parent_lists: ParentLists = field(default_factory=ParentLists)
    page_permits: PagePermits = field(default_factory=PagePermits)
    chat_authenticator: Optional[AuthBase] = None  # Chat has OAuth tokens of its own
    search_streams: List["StreamSpec"] = field(default_factory=list)  # the config's named search queries
    listed: Dict[str, List[Mapping[str, Any]]] = field(default_factory=dict)  # whole lists already read this sync
    now_epoch: Optional[int] = None  # frozen at sync start so every stream agrees on "now"
    origin_policy: Optional[OriginPolicy] = None  # which links and redirects from responses may be requested
    counts: AccountCounts = field(default_factory=AccountCounts)  # Zendesk's count endpoints, asked once per sync
    tally: ReadTally = field(default_factory=ReadTally)  # records, requests, retries and rate waits per stream
    custom_objects: Optional["CustomObjectCatalog"] = None  # the account's custom objects, listed once per sync

    def __post_init__(self) -> None:
        if self.origin_policy is None:
            self.origin_policy = OriginPolicy(self.config.base_url)
