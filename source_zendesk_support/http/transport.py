"""How every answer comes in: read in chunks, decompressed as it arrives, within a size cap and a deadline.

A server may send a body of any size, a small gzip or deflate body that inflates a thousandfold, or one byte at a
time forever. The adapter reads every body itself, through urllib3's decoder with a bounded output per read, so
the cap counts decompressed bytes and is enforced before they pile up; the deadline covers connect, the status
line and headers, and the whole body, where a socket timeout only bounds the silence between two bytes. Until the
headers are in, the deadline is kept by cutting the connection (http/watchdog.py); the body loop checks it itself.

Once the headers are in, the body has its own idle-read limit: no byte for `idle_read_seconds` ends the attempt
(`BodyStalled`). Zendesk renders a page before it sends it, so a slow page waits before its headers (under the
request timeout); a body that stops mid-way on an open connection has stalled, and waiting the whole request
timeout on it, twice per deadline, only delays the retry.
"""

from __future__ import annotations

import io
import socket
import time
from typing import TYPE_CHECKING, Any, Dict, Optional
from urllib.parse import urlparse

import requests
from airbyte_cdk.sources.http_config import MAX_CONNECTION_POOL_SIZE
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError, SSLError

from ..foundation.numbers import BadNumber, header_count
from .watchdog import WATCHDOG, Alarm

# A whole answer may take this many socket read timeouts: a slow export page arrives well within it.
DEADLINE_PER_READ_TIMEOUT = 2
# No byte of a body for this long ends the attempt. Bodies come in a stream once Zendesk has rendered the page;
# 30 s outlasts the retransmissions TCP makes for a lost packet (1 + 2 + 4 + 8 + 16 s) and is a quarter of the
# default request timeout. A shorter request timeout shortens it too.
IDLE_READ_SECONDS = 30.0
READ_CHUNK = 1 << 16
MIB = 1 << 20


class BodyTooLarge(requests.exceptions.RequestException):
    """The answer grew past the cap while it was read (decompressed bytes)."""

    def __init__(self, path: str, cap_bytes: int, **kwargs: Any):
        self.path, self.cap_bytes = path, cap_bytes
        super().__init__(
            f"Zendesk's answer for {path} is larger than {cap_bytes // MIB} MiB once decompressed, the most the "
            f"connector reads (max_response_mb); it was not read further.",
            **kwargs,
        )


class RequestDeadlineExceeded(requests.exceptions.Timeout):
    """Connect plus the whole body took longer than the request's deadline."""

    def __init__(self, path: str, deadline_seconds: float, **kwargs: Any):
        self.path, self.deadline_seconds = path, deadline_seconds
        super().__init__(f"Zendesk did not send the whole answer for {path} within {deadline_seconds:.0f} s.", **kwargs)


class BodyStalled(requests.exceptions.ReadTimeout):
    """The headers came, then the body stopped: no byte for the idle-read limit."""

    def __init__(self, path: str, idle_seconds: float, received: int, expected: Optional[int], **kwargs: Any):
        self.path, self.idle_seconds, self.received, self.expected = path, idle_seconds, received, expected
        of = f" of {expected}" if expected is not None else ""
        super().__init__(
            f"Zendesk stopped sending the answer for {path}: no byte for {idle_seconds:g} s after "
            f"{received}{of} bytes of its body (a stalled short body).",
            **kwargs,
        )


def deadline_for(read_timeout_seconds: float) -> float:
    return DEADLINE_PER_READ_TIMEOUT * read_timeout_seconds


def idle_read_for(read_timeout_seconds: float) -> float:
    return min(IDLE_READ_SECONDS, read_timeout_seconds)


def _path(url: Optional[str]) -> str:
    return urlparse(url or "").path or "/"


if TYPE_CHECKING:
    _Connection = HTTPConnection  # the mixin goes before a connection class (_pool_classes)
else:
    _Connection = object


class _AnswerDeadline(_Connection):
    """A connection that is cut when connect, the request and the answer's status line and headers together take
    longer than `deadline_seconds` (set on the class the adapter makes). The blocked read then ends at once."""

    deadline_seconds: float = 0.0
    _alarm: Optional[Alarm] = None

    def _arm(self) -> None:
        if self._alarm is None:
            self._alarm = WATCHDOG.arm(time.monotonic() + self.deadline_seconds, self._cut)

    def _disarm(self) -> None:
        if self._alarm is not None:
            WATCHDOG.disarm(self._alarm)
            self._alarm = None

    def _cut(self) -> None:
        sock = getattr(self, "sock", None)
        if sock is not None:
            # socket.socket's own shutdown, also for a TLS socket: its reader sees the end of the stream at once
            # (SSLSocket.shutdown would drop the TLS state under that reader's feet).
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def connect(self) -> None:
        self._arm()
        try:
            super().connect()
        except BaseException:
            self._disarm()
            raise

    def request(self, *args: Any, **kwargs: Any) -> None:
        self._arm()
        try:
            super().request(*args, **kwargs)
        except BaseException:
            self._disarm()
            raise

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().getresponse(*args, **kwargs)
        finally:
            self._disarm()


def _pool_classes(deadline_seconds: float) -> Dict[str, type]:
    """urllib3's pool classes per scheme, whose connections keep the answer's deadline."""
    attributes = {"deadline_seconds": deadline_seconds}
    plain = type("DeadlineHTTPConnection", (_AnswerDeadline, HTTPConnection), attributes)
    tls = type("DeadlineHTTPSConnection", (_AnswerDeadline, HTTPSConnection), attributes)
    return {
        "http": type("DeadlineHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": plain}),
        "https": type("DeadlineHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": tls}),
    }


class BoundedAdapter(HTTPAdapter):
    """An HTTPAdapter that reads each body itself, within `max_body_bytes` and `deadline_seconds`.

    The body it hands on is already decompressed: `response.raw` is replaced by an in-memory file, which requests
    reads like any other (its `content`, `json()` and `iter_content` work as usual)."""

    def __init__(
        self, max_body_bytes: int, deadline_seconds: float, idle_read_seconds: Optional[float] = None, **kwargs: Any
    ):
        self.max_body_bytes, self.deadline_seconds = max_body_bytes, deadline_seconds
        self.idle_read_seconds = idle_read_seconds
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self.deadline_seconds)

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        started = time.monotonic()
        try:
            response = super().send(request, stream=True, timeout=timeout, verify=verify, cert=cert, proxies=proxies)
        except requests.exceptions.ConnectionError as error:
            if time.monotonic() - started >= self.deadline_seconds:  # the watchdog cut it
                raise RequestDeadlineExceeded(
                    _path(request.url), self.deadline_seconds, request=request, response=None
                ) from error
            raise
        try:
            body = self._read(response, started)
        except BaseException:
            response.close()  # the connection still holds unread bytes: it must not be reused
            raise
        response.raw = io.BytesIO(body)
        return response

    def _read(self, response: requests.Response, started: float) -> bytes:
        raw, request = response.raw, response.request
        body = bytearray()
        idle = self._limit_idle_reads(raw)
        while True:
            if time.monotonic() - started > self.deadline_seconds:
                raise RequestDeadlineExceeded(_path(request.url), self.deadline_seconds, request=request, response=None)
            try:
                # read1: returns as soon as one read brought something, so a dripping body meets the deadline; the
                # decoder's output per call is bounded by the chunk, so a compression bomb never inflates at once.
                chunk = raw.read1(READ_CHUNK, decode_content=True)
            except ReadTimeoutError as error:
                if idle is None:
                    raise _as_requests_error(error, request) from error
                expected = _declared_length(response)
                raise BodyStalled(_path(request.url), idle, len(body), expected, request=request) from error
            except Exception as error:  # urllib3's read and decode errors, as requests names them
                raise _as_requests_error(error, request) from error
            if not chunk:
                raw.release_conn()
                return bytes(body)
            if len(body) + len(chunk) > self.max_body_bytes:
                raise BodyTooLarge(_path(request.url), self.max_body_bytes, request=request, response=None)
            body += chunk

    def _limit_idle_reads(self, raw: Any) -> Optional[float]:
        """The body's socket reads wait at most the idle-read limit (urllib3 sets the request's own read timeout
        again on the connection's next request). None when there is no limit or no socket to set it on."""
        sock = _socket_of(raw)
        if self.idle_read_seconds is None or sock is None:
            return None
        current = sock.gettimeout()
        if current is not None and current <= self.idle_read_seconds:
            return current
        sock.settimeout(self.idle_read_seconds)
        return self.idle_read_seconds


def _socket_of(raw: Any) -> Optional[socket.socket]:
    """The socket a body is read from: the connection's, or, for an answer that closes its connection (which
    http.client then hands over to the response), the one under the response's file."""
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is None:
        sock = getattr(getattr(getattr(getattr(raw, "_fp", None), "fp", None), "raw", None), "_sock", None)
    return sock if hasattr(sock, "settimeout") else None


def _declared_length(response: requests.Response) -> Optional[int]:
    try:
        return header_count(response.headers, "Content-Length")
    except BadNumber:
        return None  # only said in the message: the short body is the error


def _as_requests_error(error: Exception, request: requests.PreparedRequest) -> requests.exceptions.RequestException:
    """urllib3's errors while the body is read, as requests would have raised them (so the retry policy knows them)."""
    if isinstance(error, requests.exceptions.RequestException):
        return error
    if isinstance(error, ReadTimeoutError):
        return requests.exceptions.ReadTimeout(error, request=request)
    if isinstance(error, DecodeError):
        return requests.exceptions.ContentDecodingError(error, request=request)
    if isinstance(error, (ProtocolError, SSLError, OSError)):
        return requests.exceptions.ChunkedEncodingError(error, request=request)
    return requests.exceptions.RequestException(error, request=request)


def _no_redirect_target(response: requests.Response) -> None:
    return None


def bounded_session(
    session: requests.Session, max_body_bytes: int, deadline_seconds: float, idle_read_seconds: Optional[float] = None
) -> requests.Session:
    """The session with every http(s) request read through a BoundedAdapter. Requests follows no redirect itself
    (the origin policy decides on each): it is given no redirect target, so it never parses a Location, which a
    hostile server can write to crash its URL parser."""
    session.get_redirect_target = _no_redirect_target  # type: ignore[method-assign, assignment]  # on this session only
    adapter = BoundedAdapter(
        max_body_bytes,
        deadline_seconds,
        idle_read_seconds,
        pool_connections=MAX_CONNECTION_POOL_SIZE,
        pool_maxsize=MAX_CONNECTION_POOL_SIZE,
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
