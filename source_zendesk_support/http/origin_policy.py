"""Which URLs taken from a response may be requested: credentials go only to the configured origin.

Zendesk sometimes links to the same account under another host (a brand's host-mapped domain, an explicit :443,
http instead of https). A link whose path is a Zendesk API path is re-based onto the configured origin; any other
link off the origin is refused, so no request carrying the account's credentials ever leaves it.

The decision is made on the URL as the HTTP client will send it: a link is read with urllib3's own parser (the one
requests and its connection pool use), anything two parsers could read differently (userinfo, backslashes, control
characters, whitespace, percent-escapes or non-ASCII in the authority) is refused outright, the URL actually sent
is rebuilt from the checked parts, and that rebuilt URL is read once more the way requests prepares it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Optional, Set, Tuple
from urllib.parse import urljoin

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from requests.models import PreparedRequest
from urllib3.util import parse_url

logger = logging.getLogger("airbyte")

DEFAULT_PORTS = {"http": 80, "https": 443}
# Paths under which Zendesk serves the APIs this connector reads; a link elsewhere is not a page of a list.
API_PATH_PREFIXES = ("/api/v2/",)
# A scheme as RFC 3986 spells it, in any case: "HTTP://host/..." is as absolute as "http://host/...".
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# What a host may be once read: a DNS name or IPv4 address in lowercase ASCII, or a bracketed IPv6 address.
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.?)+$|^\[[0-9a-f:.]+\]$")

Origin = Tuple[str, str, Optional[int]]


class OriginRefused(AirbyteTracedException):
    """A response pointed the connector at another origin, which gets no request (and so no credentials)."""


class UnsafeUrl(ValueError):
    """A URL two parsers could read differently; it names what was wrong."""


def is_absolute(url: str) -> bool:
    """A URL with a scheme (in any case) or a scheme-relative one ("//host/..."): not a path under the API base."""
    return bool(_SCHEME.match(url)) or url.startswith(("//", "\\\\", "/\\", "\\/"))


def _unsafe_character(url: str) -> Optional[str]:
    for char in url:
        if char == "\\":
            return "a backslash"
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return "a control character"
        if char.isspace():
            return "whitespace"
    return None


def _authority(url: str) -> str:
    """The raw text between "//" and the path, query or fragment: what every parser reads the host from."""
    rest = url.split("//", 1)[1] if "//" in url else ""
    return re.split(r"[/?#]", rest, maxsplit=1)[0]


def sendable(url: str) -> Tuple[str, Origin]:
    """The absolute `url` rebuilt from its checked parts, and the origin the HTTP client will send it to; raises
    UnsafeUrl naming what was wrong."""
    wrong = _unsafe_character(url)
    if wrong:
        raise UnsafeUrl(wrong)
    authority = _authority(url)
    if "@" in authority:
        raise UnsafeUrl("credentials (userinfo) in its host part")
    if "%" in authority:
        raise UnsafeUrl("a percent-escape in its host part")
    if not authority.isascii():
        raise UnsafeUrl("non-ASCII characters in its host part")
    try:
        parts = parse_url(url)
    except ValueError:  # urllib3's LocationParseError
        raise UnsafeUrl("a host or port that cannot be read") from None
    scheme, host = (parts.scheme or "").lower(), (parts.host or "").lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeUrl(f"the scheme {scheme or 'none'!r}, not http or https")
    if parts.auth is not None or not _HOST.match(host):
        raise UnsafeUrl("a host that is not a plain host name or address")
    port = "" if parts.port in (None, DEFAULT_PORTS[scheme]) else f":{parts.port}"
    # The path and query as the server wrote them (requests quotes them again), without the fragment.
    rest = url.split("//", 1)[1][len(authority) :].split("#", 1)[0]
    rebuilt = f"{scheme}://{host}{port}" + ("/" + rest if not rest.startswith("/") else rest)
    return rebuilt, _as_sent(rebuilt)


def _as_sent(url: str) -> Origin:
    """The origin requests and its connection pool send `url` to: prepared as requests prepares it, then parsed."""
    prepared = PreparedRequest()
    prepared.prepare_url(url, None)
    assert prepared.url is not None  # prepare_url sets it
    parts = parse_url(prepared.url)
    scheme = (parts.scheme or "").lower()
    return scheme, (parts.host or "").lower(), parts.port or DEFAULT_PORTS.get(scheme)


def origin_of(url: str) -> Origin:
    """The configured origin, from a base URL the config already validated."""
    return _as_sent(url)


def _describe(url: str) -> str:
    """Scheme, host and path of a URL: enough to name it, without userinfo or a query that might carry anything."""
    try:
        parts = parse_url(url)
    except ValueError:
        return "an unreadable URL"
    host = parts.host or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or ''}://{host}{port}{parts.path or ''}"[:300]


@dataclass
class OriginPolicy:
    base_url: str
    _warned: Set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.origin = origin_of(self.base_url)

    def _absolute(self, url: str, relative_to: str) -> str:
        """A link as an absolute URL; a relative one is joined only after it was found free of ambiguous characters."""
        wrong = _unsafe_character(url)
        if wrong:
            raise UnsafeUrl(wrong)
        if _SCHEME.match(url):
            return url
        try:
            return urljoin(relative_to, url)
        except ValueError:  # an authority that changes under NFKC normalization (a fullwidth @, say)
            raise UnsafeUrl("an authority that Unicode normalization would change") from None

    def link(self, url: str, stream: str) -> str:
        """The URL to request for a link found in a response: itself, re-based onto our origin, or refused."""
        if not isinstance(url, str) or not url.strip():
            raise OriginRefused(
                message=f"Stream {stream}: Zendesk sent a next-page link that is not a URL ({type(url).__name__}).",
                failure_type=FailureType.system_error,
            )
        try:
            rebuilt, origin = sendable(self._absolute(url.strip(), self.base_url + "/"))
        except UnsafeUrl as unsafe:
            raise self._refused(stream, f"Zendesk sent a next-page link with {unsafe}") from None
        if origin == self.origin:
            return rebuilt
        path_and_query = "/" + rebuilt.split("//", 1)[1].split("/", 1)[1]  # rebuilt always has a "/" after the host
        if (parse_url(rebuilt).path or "/").startswith(API_PATH_PREFIXES):
            rebased_url, rebased_origin = sendable(self.base_url.rstrip("/") + path_and_query)
            if rebased_origin == self.origin:
                if stream not in self._warned:
                    self._warned.add(stream)
                    logger.warning(
                        f"Stream {stream}: Zendesk linked to {_describe(rebuilt)}, "
                        f"outside the configured {self.base_url}; "
                        "following the same API path on the configured origin instead."
                    )
                return rebased_url
        raise self._refused(
            stream,
            f"Zendesk linked to {_describe(rebuilt)}, which is outside the configured "
            f"{self.base_url} and not a Zendesk API path",
        )

    def redirect(self, location: str, requested: str, stream: str) -> str:
        """A 30x answer is followed only within the configured origin."""
        what = f"Zendesk redirected {_describe(requested)}"
        if not isinstance(location, str) or not location.strip():
            raise self._refused(stream, f"{what} to nowhere")
        try:
            target, origin = sendable(self._absolute(location.strip(), requested))
        except UnsafeUrl as unsafe:
            raise self._refused(stream, f"{what} to a Location with {unsafe}; the redirect was not followed") from None
        if origin == self.origin:
            return target
        raise self._refused(
            stream,
            f"{what} to {_describe(target)}, outside the configured {self.base_url}; the redirect was not followed",
        )

    def _refused(self, stream: str, what: str) -> OriginRefused:
        message = f"Stream {stream}: {what}. It was not requested, so the account's credentials stayed with Zendesk."
        return OriginRefused(message=message, internal_message=message, failure_type=FailureType.system_error)
