"""`python -m bench`: how fast, how cheap in requests and how lean the connector is, at 10k, 100k and 1M tickets.

For each account size it starts the sandbox and reads through the real entrypoint (`python main.py read`):
1. a full sync with the rate limits off (CPU-bound), then an incremental re-sync of the unchanged account,
   then one after 1% of the tickets changed;
2. a full sync under a plan's real limits, with the sandbox clock sped up (--time-scale) so it takes minutes;
3. where Airbyte's published connector can be installed, both connectors on the same streams of one sandbox.
It prints, per stream and in total, records, requests against the minimum the API allows, records/s, wall
time against the minimum the rate limits allow, peak RSS and the size of the final state.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

from . import floor, missed_changes
from . import peer as peer_setup
from .bounds import PER_PARENT_STREAMS, SOURCES, Limits, export_read_by, minimum_requests, minimum_wall_seconds
from .catalog import configured_catalog, discover
from .missed_changes import NEWEST_FIRST_LISTS
from .report import RunFigures, requests_table, side_by_side, stream_table, totals_line
from .sandbox import ROOT, Sandbox, sandbox_args
from .sync import run_read

OUR_COMMAND = [sys.executable, str(ROOT / "main.py")]
RAW = ROOT / "bench" / "results" / "raw"
DOCS_RESULTS = ROOT / "docs" / "benchmark-results.md"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
PLAN_LIMITS = {"team": 200, "professional": 400, "enterprise": 700, "high_volume": 2500}
CPU_TIME_SCALE = 60.0  # rate limits are off; this only shortens the export hold-back before the 1% re-sync
HOLDBACK = 60.0  # Zendesk-seconds, the sandbox's default
# The rate-limited run measures pacing, so its clock keeps the CPU work and each export's page-after-page latency
# well inside the waits, as Zendesk's real minute does (there a sync's CPU time is minutes against hours of bound).
BOUND_OVER_CPU = 2.5


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated: 10k,100k,1M or ticket counts")
    parser.add_argument("--quick", action="store_true", help="one 2k-ticket account, to check that it all works")
    parser.add_argument(
        "--modes",
        default="cpu,incremental,floor,rate,peer",
        help="which parts to run: cpu,incremental,floor,rate,peer (incremental needs cpu; floor: "
        "CPU per record of tickets, ticket_events and users against a bare orjson loop)",
    )
    parser.add_argument(
        "--plan",
        default="enterprise",
        choices=sorted(PLAN_LIMITS),
        help="plan whose rate limits the rate-limited run uses",
    )
    parser.add_argument(
        "--time-scale",
        type=float,
        help="sandbox clock speed for the rate-limited run; default: chosen so the rate bound is "
        f"at least {BOUND_OVER_CPU}x the CPU-bound wall time (at least 60 s) and a Zendesk minute lasts whole "
        "seconds",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-compression", action="store_true", help="the sandbox sends plain bodies (default: gzip, as Zendesk does)"
    )
    parser.add_argument("--workers", type=int, help="connector num_workers (default: the connector's own)")
    parser.add_argument(
        "--streams", help="comma-separated stream names (default: every stream except opt-in per-parent ones)"
    )
    parser.add_argument("--peer-timeout", type=float, default=900.0, help="seconds before the peer's run is stopped")
    parser.add_argument(
        "--peer-max-tickets",
        type=int,
        default=10_000,
        help="skip the peer above this size (its run would not finish in time)",
    )
    parser.add_argument(
        "--write-docs",
        nargs="?",
        const=str(DOCS_RESULTS),
        metavar="FILE",
        help=f"write the results to FILE (default {DOCS_RESULTS.relative_to(ROOT)})",
    )
    args = parser.parse_args(argv)
    args.size_list = [("2k", 2000)] if args.quick else [(s, SIZES.get(s) or int(s)) for s in args.sizes.split(",") if s]
    args.mode_set = set(args.modes.split(","))
    return args


class Output:
    """Prints as it goes and keeps the same lines for the results file."""

    def __init__(self, quiet: bool = False) -> None:
        self.lines: List[str] = []
        self.quiet = quiet

    def __call__(self, *lines: str) -> None:
        for line in lines:
            if not self.quiet:
                print(line, flush=True)
            self.lines.append(line)


def default_selection(discovered: List[Dict]) -> List[str]:
    """Every stream of Support, Help Center, Talk and Chat except the opt-in per-parent ones."""
    return [s["name"] for s in discovered if s["name"] in SOURCES and s["name"] not in PER_PARENT_STREAMS]


def our_config(info: Dict, args: argparse.Namespace, **overrides) -> Dict:
    config = dict(info["config"])
    if args.workers:
        config["num_workers"] = args.workers
    config.update(overrides)
    return config


def progress(out: Output):
    def report(stream: str, s) -> None:
        seconds = f"{s.seconds:7.1f}s" if s.seconds else "       -"
        print(f"    {stream:28} {s.records:>10,} {seconds} {s.status}", flush=True)

    return report


def read(
    label: str,
    sandbox: Sandbox,
    config: Dict,
    catalog: Dict,
    workdir: Path,
    out: Output,
    *,
    state=None,
    bounds=None,
    limits: Optional[Limits] = None,
    command=None,
    env=None,
    timeout=None,
    align_window: bool = False,
    ids_of=(),
) -> RunFigures:
    workdir.mkdir(parents=True, exist_ok=True)
    sandbox.reset_stats()
    offset = 0.0
    if align_window and limits:
        # Start just after a rate window opens, so the bound and the run see the same windows.
        elapsed = (time.monotonic() - sandbox.ready_at) % limits.window_seconds
        time.sleep(limits.window_seconds - elapsed + 0.05)
        offset = (time.monotonic() - sandbox.ready_at) % limits.window_seconds
    print(f"  {label} ...", flush=True)
    run = run_read(
        command or OUR_COMMAND,
        config,
        catalog,
        workdir,
        state=state,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        stderr_path=workdir / "stderr.log",
        progress=progress(out),
        ids_of=ids_of,
    )
    figures = RunFigures(label, run, sandbox.requests_by_path(), bounds or {})
    if limits and bounds:
        figures.min_wall_seconds = minimum_wall_seconds(
            {path: b.min_requests for path, b in bounds.items()}, limits, offset
        )
    (workdir / "final-state.json").write_text(json.dumps(run.states))
    return figures


def section(
    out: Output, figures: RunFigures, streams: List[str], summary: Optional[Dict], by_path: bool = False
) -> None:
    out("", f"#### {figures.label}", "", totals_line(figures), "")
    out(*stream_table(figures, streams, summary))
    if by_path:
        out("", *requests_table(figures))


def bench_size(name: str, tickets: int, args: argparse.Namespace, out: Output) -> None:
    workdir = RAW / f"{name}-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S}"
    workdir.mkdir(parents=True, exist_ok=True)
    out("", f"## {name}: {tickets:,} tickets", "")
    cpu_seconds = None
    summary = selection = None
    limits_account = PLAN_LIMITS[args.plan]

    if "cpu" in args.mode_set:
        cpu_args = sandbox_args(
            tickets,
            args.seed,
            cpu_bound=True,
            plan=args.plan,
            time_scale=CPU_TIME_SCALE,
            compression=not args.no_compression,
        )
        with Sandbox(cpu_args, workdir / "sandbox-cpu.log") as sandbox:
            summary, selection, catalog, bounds = prepare(sandbox, args, workdir, out)
            config = our_config(sandbox.info, args)
            out(
                f"Sandbox: `zendesk-sandbox serve {' '.join(cpu_args)}` "
                f"(started in {sandbox.info.get('startup_seconds')} s)"
            )
            full = read(
                "full sync, rate limits off (CPU-bound)",
                sandbox,
                config,
                catalog,
                workdir / "cpu-full",
                out,
                bounds=bounds,
            )
            section(out, full, selection, summary)
            cpu_seconds = full.run.seconds
            if "incremental" in args.mode_set:
                incremental(sandbox, config, catalog, full, tickets, selection, workdir, out)

    if "floor" in args.mode_set:
        cpu_per_record(tickets, args, workdir, out)

    if "rate" in args.mode_set:
        rate_limited(tickets, args, limits_account, cpu_seconds, workdir, out)

    if "peer" in args.mode_set:
        if tickets > args.peer_max_tickets:
            out("", f"#### Airbyte's connector: skipped above {args.peer_max_tickets:,} tickets (--peer-max-tickets)")
        else:
            compare_with_peer(tickets, args, workdir, out)
    (workdir / "report.md").write_text("\n".join(out.lines) + "\n")


def prepare(sandbox: Sandbox, args: argparse.Namespace, workdir: Path, out: Output):
    summary = sandbox.summary()
    discovered = discover(OUR_COMMAND, our_config(sandbox.info, args), workdir, cwd=ROOT)
    selection = args.streams.split(",") if args.streams else default_selection(discovered)
    catalog = configured_catalog(discovered, selection)
    selection = [s["stream"]["name"] for s in catalog["streams"]]
    left_out = sorted({s["name"] for s in discovered} - set(selection))
    out(
        f"Streams: {len(selection)} of {len(discovered)}: every Support, Help Center, Talk and Chat stream except "
        f"the opt-in per-parent ones ({', '.join(sorted(PER_PARENT_STREAMS))}: one request per ticket, section "
        f"or topic, no account-wide endpoint). Not selected: {', '.join(left_out) or 'none'}."
        if not args.streams
        else f"Streams: {', '.join(selection)} (--streams)."
    )
    resources = summary["resources"]
    out(
        "Account (sandbox ground truth): "
        + ", ".join(
            f"{resources[k]['total']:,} {k}"
            for k in ("tickets", "users", "organizations", "ticket_events", "ticket_comments", "ticket_metric_events")
            if k in resources
        )
        + "."
    )
    return summary, selection, catalog, minimum_requests(selection, summary)


def incremental(
    sandbox: Sandbox,
    config: Dict,
    catalog: Dict,
    full: RunFigures,
    tickets: int,
    selection: List[str],
    workdir: Path,
    out: Output,
) -> None:
    newest_first = [s for s in selection if s in NEWEST_FIRST_LISTS]
    unchanged = read(
        "incremental re-sync, account unchanged",
        sandbox,
        config,
        catalog,
        workdir / "cpu-unchanged",
        out,
        state=full.run.states,
        ids_of=newest_first,
    )
    section(out, unchanged, selection, None, by_path=True)
    export_streams = [s for s in selection if export_read_by(s)]
    export_paths = {export_read_by(s) for s in export_streams}
    export_requests = sum(unchanged.requests_of(p) for p in export_paths)
    out(
        "",
        f"Export requests on the unchanged account: {export_requests} for {len(export_paths)} exports read by "
        f"{len(export_streams)} streams (target: at most one per export stream).",
    )
    report_missed(sandbox, config, newest_first, full.run.states, unchanged, out)
    changed = max(1, tickets // 100)
    # 1% of the tickets updated, 0.1% deleted (deleted_tickets), 1% of the posts updated (posts and their children).
    result = sandbox.mutate(
        {"tickets": {"update": changed, "delete": max(1, changed // 10)}, "posts": {"update": max(1, tickets // 2500)}}
    )
    updated = len((result.get("tickets") or {}).get("update") or [])
    deleted = len((result.get("tickets") or {}).get("delete") or [])
    posts = len((result.get("posts") or {}).get("update") or [])
    time.sleep(HOLDBACK / CPU_TIME_SCALE + 1.0)  # changes become visible to the exports after the hold-back
    after = read(
        f"incremental re-sync after {updated:,} tickets (1%) changed, {deleted:,} deleted and {posts:,} posts changed",
        sandbox,
        config,
        catalog,
        workdir / "cpu-changed",
        out,
        state=unchanged.run.states,
        ids_of=newest_first,
    )
    section(out, after, selection, None, by_path=True)
    report_missed(sandbox, config, newest_first, unchanged.run.states, after, out)


def report_missed(
    sandbox: Sandbox, config: Dict, streams: List[str], start_states: List[Dict], resync: RunFigures, out: Output
) -> None:
    """Lists read newest first stop early: every record the whole list holds since the saved cursor must be there."""
    found = missed_changes.missed(sandbox.url, config, streams, start_states, resync.run.ids)
    if found:
        out(
            "",
            "Lists read newest first, against the whole list read afterwards: "
            + "; ".join(
                f"{stream} {n['due']:,} records at or after the saved cursor, **{n['missed']} missed**"
                for stream, n in found.items()
            )
            + ".",
        )


def cpu_per_record(tickets: int, args: argparse.Namespace, workdir: Path, out: Output) -> None:
    floor_args = sandbox_args(
        tickets,
        args.seed,
        cpu_bound=True,
        plan=args.plan,
        time_scale=CPU_TIME_SCALE,
        compression=not args.no_compression,
    )
    with Sandbox(floor_args, workdir / "sandbox-floor.log") as sandbox:
        config = our_config(sandbox.info, args)
        discovered = discover(OUR_COMMAND, config, workdir, cwd=ROOT)
        figures = floor.measure(sandbox, OUR_COMMAND, config, discovered, list(floor.FLOOR_STREAMS), workdir)
    out(
        "",
        "#### CPU per record against the floor (same pages, same run)",
        "",
        "Floor: decompress each page as served, `orjson.loads` it, `orjson.dumps` one RECORD line per record (fastest "
        f"of {floor.FLOOR_REPEATS} passes). Connector: `main.py read` of that stream alone, CPU (user + system) less "
        "the lesser of two reads of the same stream that find nothing (its start-up).",
        "",
    )
    out(*floor.floor_table(figures))


def rate_limited(
    tickets: int, args: argparse.Namespace, account_limit: int, cpu_seconds: Optional[float], workdir: Path, out: Output
) -> None:
    exports = 30 if args.plan == "high_volume" else 10
    scale = args.time_scale
    if scale is None:
        # Size the clock from the bound itself: probe the account once at scale 1 for its ground truth.
        probe_args = sandbox_args(
            tickets, args.seed, cpu_bound=True, plan=args.plan, time_scale=1.0, compression=not args.no_compression
        )
        with Sandbox(probe_args, workdir / "sandbox-probe.log") as probe:
            _, selection, _, bounds = prepare(probe, args, workdir, Output(quiet=True))
        zendesk_seconds = minimum_wall_seconds(
            {p: b.min_requests for p, b in bounds.items()}, Limits(account_limit, exports, 60.0)
        )
        target = max(60.0, BOUND_OVER_CPU * (cpu_seconds or 60.0))
        scale = whole_second_scale(zendesk_seconds / target)
    rate_args = sandbox_args(
        tickets, args.seed, cpu_bound=False, plan=args.plan, time_scale=scale, compression=not args.no_compression
    )
    limits = Limits(account_limit, exports, 60.0 / scale)
    with Sandbox(rate_args, workdir / "sandbox-rate.log") as sandbox:
        summary, selection, catalog, bounds = prepare(sandbox, args, workdir, Output(quiet=True))
        out(
            "",
            f"Rate-limited sandbox: `zendesk-sandbox serve {' '.join(rate_args)}` - plan {args.plan}: "
            f"{account_limit} requests/min, exports {exports}/min; a Zendesk minute lasts {60.0 / scale:.2f} s.",
        )
        figures = read(
            f"full sync under the {args.plan} plan's limits, clock x{scale:g}",
            sandbox,
            our_config(sandbox.info, args),
            catalog,
            workdir / "rate-full",
            out,
            bounds=bounds,
            limits=limits,
            align_window=True,
        )
        section(out, figures, selection, summary)
        zendesk_minutes = figures.min_wall_seconds / limits.window_seconds if figures.min_wall_seconds else 0
        out(
            "",
            f"Rate bound: {figures.min_wall_seconds:,.1f} s real = {zendesk_minutes:,.1f} Zendesk-minutes of "
            f"windows for the minimum requests; measured {figures.run.seconds:,.1f} s "
            f"({figures.run.seconds / max(figures.min_wall_seconds or 1e-9, 1e-9):.2f}x), "
            f"{figures.throttled} responses were 429.",
        )


def whole_second_scale(wanted: float) -> float:
    """The fastest clock speed, no faster than `wanted`, at which a Zendesk minute lasts whole real seconds.

    Zendesk's rate-limit headers count whole seconds of 60-second windows, so waiting what they say overshoots
    the window's end by no more than the response's latency. A window of 1.9 real seconds would add up to a
    rounded-up second per window, an error the real clock does not have."""
    window = max(1, min(60, math.ceil(60.0 / max(wanted, 1.0) - 1e-9)))  # never a bound shorter than wanted
    return 60.0 / window


def compare_with_peer(tickets: int, args: argparse.Namespace, workdir: Path, out: Output) -> None:
    out("", "#### Side by side with Airbyte's published connector (rate limits off, same TLS sandbox)", "")
    peer, reason = peer_setup.setup(RAW)
    if peer is None:
        out(f"Skipped: {reason}. No figure is given for it.")
        return
    tls_args = sandbox_args(
        tickets,
        args.seed,
        cpu_bound=True,
        plan=args.plan,
        time_scale=CPU_TIME_SCALE,
        subdomain=peer_setup.SUBDOMAIN,
        port=443,
        tls=(peer.cert, peer.key),
        host=peer.host,
        compression=not args.no_compression,
    )
    try:
        with Sandbox(tls_args, workdir / "sandbox-peer.log", ca_file=peer.cert) as sandbox:
            sandbox.url = f"https://{peer.host}"
            ours_config = our_config(sandbox.info, args, base_url=f"https://{peer.host}")
            peer_config = peer.config(sandbox.info)
            ours_streams = discover(OUR_COMMAND, ours_config, workdir, env=peer.env(), cwd=ROOT)
            peer_streams = discover(peer.command, peer_config, workdir, env=peer.env(), cwd=workdir)
            wanted = args.streams.split(",") if args.streams else default_selection(ours_streams)
            peer_names = {s["name"] for s in peer_streams}
            common = [s for s in wanted if s in peer_names]
            out(
                f"Common streams ({len(common)}): {', '.join(common)}.",
                f"Not in the peer: {', '.join(s for s in wanted if s not in peer_names) or 'none'}.",
            )
            ours = read(
                "ours (common streams)",
                sandbox,
                ours_config,
                configured_catalog(ours_streams, common),
                workdir / "peer-ours",
                out,
                env=peer.env(),
            )
            theirs = read(
                peer_setup.NAME,
                sandbox,
                peer_config,
                configured_catalog(peer_streams, common),
                workdir / "peer-theirs",
                out,
                command=peer.command,
                env=peer.env(),
                timeout=args.peer_timeout,
            )
            out("", totals_line(ours), "", totals_line(theirs), "")
            out(*side_by_side(ours, theirs, common, peer_setup.NAME))
            if theirs.run.records:
                ratio = (ours.run.records / ours.run.seconds) / (theirs.run.records / theirs.run.seconds)
                out(
                    "",
                    f"records/s ratio (ours / peer, whole run): {ratio:.1f}x"
                    + (" - the peer did not finish: its rate is over the part it read" if theirs.run.timed_out else ""),
                )
            else:
                out(
                    "",
                    "The peer read no records, so there is no ratio; its errors are in "
                    f"{(workdir / 'peer-theirs' / 'messages.log').relative_to(ROOT)}.",
                )
            out("", "Peer requests by path:", "", *requests_table(theirs))
    except Exception as error:  # a peer that cannot run is reported, never estimated
        out(f"Peer comparison failed: {type(error).__name__}: {str(error)[:500]}")
    finally:
        peer_setup.remove_hosts_entry()


def environment() -> List[str]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    load = os.getloadavg()
    return [
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; commit {commit}",
        f"- Machine: {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}; load average at start "
        f"{load[0]:.1f} (other processes share these cores: the sandbox, the benchmark and, here, other test runs)",
    ]


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    out = Output()
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    out("# Benchmark results", "", f"Command: `{command.strip()}`", "", *environment())
    started = time.monotonic()
    try:
        for name, tickets in args.size_list:
            bench_size(name, tickets, args, out)
    except KeyboardInterrupt:
        out("", "(interrupted)")
    finally:
        peer_setup.remove_hosts_entry()
    out("", f"Benchmark took {time.monotonic() - started:,.0f} s.")
    if args.write_docs:
        Path(args.write_docs).write_text("\n".join(out.lines) + "\n")
        print(f"wrote {args.write_docs}")
    return 0
