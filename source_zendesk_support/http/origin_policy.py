"""Which URLs taken from a response may be requested: credentials go only to the configured origin.

Zendesk sometimes links to the same account under another host (a brand's host-mapped domain, an explicit :443,
http instead of https). A link whose path is a Zendesk API path is re-based onto the configured origin; any other
link off the origin is refused, so no request carrying the account's credentials ever leaves it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Set
from urllib.parse import urljoin, urlsplit, urlunsplit

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

logger = logging.getLogger("airbyte")

DEFAULT_PORTS = {"http": 80, "https": 443}
# Paths under which Zendesk serves the APIs this connector reads; a link elsewhere is not a page of a list.
API_PATH_PREFIXES = ("/api/v2/",)


class OriginRefused(AirbyteTracedException):
    """A response pointed the connector at another origin, which gets no request (and so no credentials)."""


def origin_of(url: str) -> tuple:
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    return scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme)


def _describe(url: str) -> str:
    """Scheme, host and path of a URL: enough to name it, without a query that might carry anything."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rsplit("@", 1)[-1], parts.path, "", ""))


@dataclass
class OriginPolicy:
    base_url: str
    _warned: Set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.origin = origin_of(self.base_url)

    def link(self, url: str, stream: str) -> str:
        """The URL to request for a link found in a response: itself, re-based onto our origin, or refused."""
        if not isinstance(url, str) or not url.strip():
            raise OriginRefused(
                message=f"Stream {stream}: Zendesk sent a next-page link that is not a URL ({type(url).__name__}).",
                failure_type=FailureType.system_error,
            )
        absolute = urljoin(self.base_url + "/", url.strip())
        if origin_of(absolute) == self.origin:
            return absolute
        parts = urlsplit(absolute)
        if parts.scheme in DEFAULT_PORTS and parts.path.startswith(API_PATH_PREFIXES) and not parts.username and not parts.password:
            rebased = urlunsplit(urlsplit(self.base_url)[:2] + (parts.path, parts.query, ""))
            if stream not in self._warned:
                self._warned.add(stream)
                logger.warning(
                    f"Stream {stream}: Zendesk linked to {_describe(absolute)}, outside the configured {self.base_url}; "
                    "following the same API path on the configured origin instead."
                )
            return rebased
        raise OriginRefused(
            message=(
                f"Stream {stream}: Zendesk linked to {_describe(absolute)}, which is outside the configured {self.base_url} "
                "and not a Zendesk API path; it was not requested, so the account's credentials stayed with Zendesk."
            ),
            failure_type=FailureType.system_error,
        )

    def redirect(self, location: str, requested: str, stream: str) -> str:
        """A 30x answer is followed only within the configured origin."""
        target = urljoin(requested, location or "")
        if location and origin_of(target) == self.origin:
            return target
        raise OriginRefused(
            message=(
                f"Stream {stream}: Zendesk redirected {_describe(requested)} to {_describe(target) or 'nowhere'}, outside the "
                f"configured {self.base_url}; the redirect was not followed, so the account's credentials stayed with Zendesk."
            ),
            failure_type=FailureType.system_error,
        )
