"""Regenerate the stream tables in README.md and docs/zendesk-support.md from the connector's registry.

    python scripts/update_docs.py          rewrite the tables between the `streams:start` / `streams:end` markers
    python scripts/update_docs.py --check  exit 1 when a table is out of date
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "docs" / "zendesk-support.md"]
BLOCK = re.compile(r"(<!-- streams:start[^>]*-->\n)(.*?)(<!-- streams:end -->)", re.S)


def rendered(doc: Path) -> str:
    sys.path.insert(0, str(ROOT))
    from source_zendesk_support.stream_table import render

    text = doc.read_text()
    if not BLOCK.search(text):
        raise SystemExit(f"{doc} has no streams:start/streams:end markers")
    return BLOCK.sub(lambda m: m.group(1) + render().rstrip() + "\n" + m.group(3), text, count=1)


def main() -> int:
    stale = 0
    for doc in DOCS:
        wanted = rendered(doc)
        if doc.read_text() == wanted:
            continue
        if "--check" in sys.argv:
            print(f"{doc.relative_to(ROOT)}: the stream table is out of date; run python scripts/update_docs.py")
            stale += 1
        else:
            doc.write_text(wanted)
            print(f"updated the stream table in {doc.relative_to(ROOT)}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
