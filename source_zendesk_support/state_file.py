"""Saves the last STATE of each stream from a read's output as the state file of the next read:

    python main.py read --config config.json --catalog catalog.json > out.jsonl
    python -m source_zendesk_support.state_file < out.jsonl > state.json
    python main.py read --config config.json --catalog catalog.json --state state.json

Lines that are not Airbyte messages are skipped. A stream with no STATE in the output is left out (its next read
starts from start_date). With `--merge OLD_STATE`, streams of the old state file that this output did not
checkpoint are kept, so a read of some streams does not forget the others.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Dict, Iterable, List, Optional, TextIO


def last_states(lines: Iterable[str], earlier: Optional[List[Dict[str, Any]]] = None) -> List[Dict[str, Any]]:
    """The last STREAM state message of each stream, in the order streams first checkpointed."""
    states: Dict[str, Dict[str, Any]] = {}
    for state in earlier or []:
        name = _stream_name(state)
        if name is not None:
            states[name] = state
    for line in lines:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a killed read
        if not isinstance(message, dict) or message.get("type") != "STATE":
            continue
        line_state = message.get("state")
        name = _stream_name(line_state)
        if name is not None:
            assert isinstance(line_state, dict)  # _stream_name names only a dict
            states[name] = line_state
    return list(states.values())


def _stream_name(state: Any) -> Optional[str]:
    if not isinstance(state, dict) or state.get("type") != "STREAM":
        return None
    descriptor = (state.get("stream") or {}).get("stream_descriptor") or {}
    name = descriptor.get("name")
    return name if isinstance(name, str) else None


def main(argv: Optional[List[str]] = None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m source_zendesk_support.state_file",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("output", nargs="?", help="a read's output (default: standard input)")
    parser.add_argument("--merge", metavar="OLD_STATE", help="a state file whose other streams are kept")
    args = parser.parse_args(argv)
    earlier = None
    if args.merge:
        with open(args.merge) as old:
            earlier = json.load(old)
        if not isinstance(earlier, list):
            parser.error(f"{args.merge} is not a state file (a JSON list of STATE messages)")
    if args.output:
        with open(args.output) as output:
            states = last_states(output, earlier)
    else:
        states = last_states(stdin, earlier)
    json.dump(states, stdout, indent=2)
    stdout.write("\n")
    print(f"saved the state of {len(states)} streams", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
