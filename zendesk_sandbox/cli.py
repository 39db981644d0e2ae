"""`zendesk-sandbox serve ...`: start a sandbox, print one JSON line with its URL and credentials."""

from __future__ import annotations

import argparse
import asyncio
import calendar
import ipaddress
import signal
import socket
import sys
import time
from typing import cast

import orjson

from .foundation.chat_auth import chat_access_token
from .foundation.settings import DEFAULT_ANCHOR, PLAN_ORDER, SandboxSettings

DEFAULT_FEATURES = "csat,ticket_forms,side_conversations,omnichannel_routing,help_center,talk,chat"
CONFIG_AUTHS = ["api_token", "oauth2_refresh", "oauth2_client_credentials", "oauth2_access_token"]


def parse_anchor(value: str) -> int:
    if value.isdigit():
        return int(value)
    return calendar.timegm(time.strptime(value.replace("Z", ""), "%Y-%m-%dT%H:%M:%S"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zendesk-sandbox", description="A local simulator of the Zendesk APIs.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve a generated Zendesk account over HTTP on loopback")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind; a name or address that is not loopback needs --allow-remote",
    )
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="let --host be a non-loopback address (anyone who can reach it can use the control "
        "endpoints and the printed credentials)",
    )
    serve.add_argument("--seed", type=int, default=1)
    serve.add_argument("--tickets", type=int, default=1000)
    serve.add_argument("--users", type=int)
    serve.add_argument("--organizations", type=int)
    serve.add_argument("--groups", type=int)
    serve.add_argument("--brands", type=int)
    serve.add_argument("--plan", choices=PLAN_ORDER, default="enterprise")
    serve.add_argument("--rate-limit", type=int, help="account requests per minute (0 = no limit)")
    serve.add_argument("--export-rate-limit", type=int, help="incremental export requests per minute")
    serve.add_argument("--time-scale", type=float, default=1.0, help="a Zendesk minute lasts 60/X seconds")
    serve.add_argument("--holdback", type=float, default=60.0, help="export hold-back in Zendesk-seconds")
    serve.add_argument("--faults", help="fault specification (see README)")
    serve.add_argument("--tls-cert")
    serve.add_argument("--tls-key")
    serve.add_argument("--write-config", help="write a connector config for this sandbox to FILE")
    serve.add_argument("--config-auth", choices=CONFIG_AUTHS, default="api_token")
    serve.add_argument("--subdomain", default="sandbox")
    serve.add_argument("--features", default=DEFAULT_FEATURES, help="comma-separated: csat,ticket_forms,...")
    serve.add_argument("--without", default="", help="comma-separated features to turn off, e.g. help_center,talk,chat")
    serve.add_argument("--access-token-ttl", type=float, default=1800.0, help="Zendesk-seconds")
    serve.add_argument(
        "--anchor",
        type=parse_anchor,
        default=DEFAULT_ANCHOR,
        help="epoch seconds or ISO time where the generated history ends",
    )
    serve.add_argument("--archive-days", type=int, default=120)
    serve.add_argument(
        "--recent-deletions",
        type=int,
        default=None,
        help="tickets deleted in the 25 Zendesk-days before start-up (default: 1%% of tickets, 3 to 100)",
    )
    serve.add_argument("--allow-password-auth", action="store_true")
    serve.add_argument("--too-recent-mode", choices=["400", "422"], default="400")
    serve.add_argument(
        "--cbp-trailing-empty-page",
        action="store_true",
        help="/activities: a full last cursor page says has_more, then an empty page follows",
    )
    serve.add_argument("--no-compression", action="store_true", help="never gzip answers, even when asked")
    return parser


def resolves_to_loopback(host: str) -> bool:
    """Every address the name resolves to is loopback (a name in /etc/hosts for 127.0.0.1 counts)."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        return False
    return bool(addresses) and all(ipaddress.ip_address(cast(str, a).split("%", 1)[0]).is_loopback for a in addresses)


def check_host(args) -> None:
    if resolves_to_loopback(args.host):
        return
    if not args.allow_remote:
        raise SystemExit(
            f"--host {args.host} is not a loopback address: the sandbox has no real security and its "
            "control endpoints take no credentials. Add --allow-remote to bind it anyway."
        )
    sys.stderr.write(
        f"WARNING: the sandbox listens on {args.host}, beyond loopback: anyone who can reach it can "
        "read the generated account and change it through /_sandbox/*.\n"
    )
    sys.stderr.flush()


def settings_from_args(args) -> SandboxSettings:
    if bool(args.tls_cert) != bool(args.tls_key):
        raise SystemExit("--tls-cert and --tls-key go together")
    check_host(args)
    return SandboxSettings(
        seed=args.seed,
        plan=args.plan,
        rate_limit=args.rate_limit,
        export_rate_limit=args.export_rate_limit,
        time_scale=args.time_scale,
        holdback=args.holdback,
        faults=args.faults,
        subdomain=args.subdomain,
        tickets=args.tickets,
        users=args.users,
        organizations=args.organizations,
        groups=args.groups,
        brands=args.brands,
        features=[
            f.strip() for f in args.features.split(",") if f.strip() and f.strip() not in args.without.split(",")
        ],
        access_token_ttl=args.access_token_ttl,
        anchor=args.anchor,
        archive_days=args.archive_days,
        recent_deletions=args.recent_deletions,
        allow_password_auth=args.allow_password_auth,
        too_recent_mode=args.too_recent_mode,
        trailing_empty_page=args.cbp_trailing_empty_page,
        compress=not args.no_compression,
        host=args.host,
        port=args.port,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
    )


def connector_config(url: str, settings: SandboxSettings, creds, auth: str) -> dict:
    credentials = {
        "api_token": {"auth_type": "api_token", "email": creds.admin_email, "api_token": creds.admin_token},
        "oauth2_refresh": {
            "auth_type": "oauth2_refresh",
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
            "refresh_token": creds.refresh_token,
        },
        "oauth2_client_credentials": {
            "auth_type": "oauth2_client_credentials",
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
        },
        "oauth2_access_token": {"auth_type": "oauth2_access_token", "access_token": creds.access_token},
    }[auth]
    config = {
        "subdomain": settings.subdomain,
        "base_url": url,
        "start_date": "2000-01-01T00:00:00Z",
        "credentials": credentials,
    }
    if settings.has_feature("chat"):
        config["chat_credentials"] = {"access_token": chat_access_token(settings.seed)}
    return config


def ready_line(url: str, settings: SandboxSettings, creds, auth: str) -> dict:
    return {
        "url": url,
        "subdomain": settings.subdomain,
        "plan": settings.plan,
        "seed": settings.seed,
        "email": creds.admin_email,
        "api_token": creds.admin_token,
        "agent_email": creds.agent_email,
        "agent_api_token": creds.agent_token,
        "access_token": creds.access_token,
        "password": creds.password,
        "oauth": {
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
            "refresh_token": creds.refresh_token,
            "token_url": f"{url}/oauth/tokens",
        },
        "config": connector_config(url, settings, creds, auth),
        **({"chat_access_token": chat_access_token(settings.seed)} if settings.has_feature("chat") else {}),
    }


async def serve(args) -> None:
    from .server.listener import start_sandbox

    settings = settings_from_args(args)
    started = time.monotonic()
    sandbox = await start_sandbox(settings)
    creds = sandbox.app["credentials"]
    info = ready_line(sandbox.url, settings, creds, args.config_auth)
    info["startup_seconds"] = round(time.monotonic() - started, 3)
    if args.write_config:
        with open(args.write_config, "wb") as f:
            f.write(orjson.dumps(info["config"], option=orjson.OPT_INDENT_2))
    sys.stdout.write(orjson.dumps(info).decode() + "\n")
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await sandbox.stop()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
