"""Start and stop a sandbox on a real socket (used by the CLI and by in-process tests)."""

from __future__ import annotations

import socket
import ssl

from aiohttp import web

from .app import create_app


class RunningSandbox:
    def __init__(self, runner: web.AppRunner, app: web.Application, url: str):
        self.runner = runner
        self.app = app
        self.url = url

    @property
    def account(self):
        return self.app["account"]

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_sandbox(settings) -> RunningSandbox:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((settings.host, settings.port))
    sock.listen(256)
    port = sock.getsockname()[1]
    ssl_context = None
    if settings.tls_cert:
        ssl_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ssl_context.load_cert_chain(settings.tls_cert, settings.tls_key)
    scheme = "https" if ssl_context else "http"
    url = f"{scheme}://{settings.host}:{port}"
    app = create_app(settings, url)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    await web.SockSite(runner, sock, ssl_context=ssl_context, backlog=256).start()
    return RunningSandbox(runner, app, url)
