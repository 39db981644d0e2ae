"""Regenerate the stream tables in README.md and docs/zendesk-support.md from the connector's registry.

    python scripts/update_docs.py          rewrite each table between the `streams:start` / `streams:end` markers
    python scripts/update_docs.py --check  exit 1 when a table is out of date
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "docs" / "zendesk-support.md"]
BLOCK = re.compile(r"(<!-- streams:start[^>]*-->\n)(.*?)(<!-- streams:end -->)", re.S)


def rendered(doc: Path, table: str) -> str:
    text = doc.read_text()
    if not BLOCK.search(text):
        raise SystemExit(f"{doc.relative_to(ROOT)} has no streams:start/streams:end markers")
    return BLOCK.sub(lambda m: m.group(1) + table.rstrip() + "\n" + m.group(3), text, count=1)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from source_zendesk_support.stream_table import render

    table, stale = render(), []
    for doc in DOCS:
        wanted = rendered(doc, table)
        if doc.read_text() == wanted:
            continue
        stale.append(doc.relative_to(ROOT))
        if "--check" not in sys.argv:
            doc.write_text(wanted)
            print(f"updated the stream table in {doc.relative_to(ROOT)}")
    if "--check" in sys.argv and stale:
        print(f"out-of-date stream table in {', '.join(map(str, stale))}; run python scripts/update_docs.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
