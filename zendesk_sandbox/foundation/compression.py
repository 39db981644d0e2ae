"""gzip on the way out, as Zendesk's front end does: every answer with a body (errors included) is compressed
when the request's Accept-Encoding allows gzip. Only gzip: a client offering deflate, br or zstd still gets gzip
or nothing."""

from __future__ import annotations

import asyncio
import zlib

from aiohttp import web

# nginx's default level: cheap to produce, so the sandbox's own cost stays small next to the client's
GZIP_LEVEL = 1
# bodies above this are compressed on a worker thread (zlib releases the GIL), so a big page does not hold
# the event loop
THREAD_ABOVE = 64 * 1024
COMPRESSIBLE = ("application/json", "text/")


def accepts_gzip(accept_encoding: str) -> bool:
    """True when gzip (or *) is listed without q=0."""
    for item in accept_encoding.split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        q = params.strip()
        if q.startswith("q="):
            try:
                return float(q[2:]) > 0
            except ValueError:
                return False
        return True
    return False


def gzip_bytes(body: bytes) -> bytes:
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16+: gzip framing
    return compressor.compress(body) + compressor.flush()


def _plain_body(response: web.StreamResponse) -> bytes | None:
    """The body of a not yet sent, not yet encoded answer, or None when it cannot be compressed here."""
    if response.prepared or response.headers.get("Content-Encoding") or not isinstance(response, web.Response):
        return None
    body = response.body
    if not isinstance(body, (bytes, bytearray)) or not body:
        return None
    if not response.content_type.startswith(COMPRESSIBLE):
        return None
    return bytes(body)


def make_compression_middleware(settings):
    @web.middleware
    async def compression_middleware(request: web.Request, handler):
        response = await handler(request)
        if not settings.compress or response.prepared:
            return response
        response.headers["Vary"] = "Accept-Encoding"
        if not accepts_gzip(request.headers.get("Accept-Encoding", "")):
            return response
        body = _plain_body(response)
        if body is None:
            return response
        if len(body) > THREAD_ABOVE:
            compressed = await asyncio.get_running_loop().run_in_executor(None, gzip_bytes, body)
        else:
            compressed = gzip_bytes(body)
        response.body = compressed
        response.headers["Content-Encoding"] = "gzip"
        return response

    return compression_middleware
