"""Regenerate the stream table in docs/zendesk-support.md from the connector's registry.

    python scripts/update_docs.py          rewrite the table between the `streams:start` / `streams:end` markers
    python scripts/update_docs.py --check  exit 1 when the table is out of date
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "zendesk-support.md"
BLOCK = re.compile(r"(<!-- streams:start[^>]*-->\n)(.*?)(<!-- streams:end -->)", re.S)


def rendered_doc() -> str:
    sys.path.insert(0, str(ROOT))
    from source_zendesk_support.stream_table import render

    text = DOC.read_text()
    if not BLOCK.search(text):
        raise SystemExit(f"{DOC} has no streams:start/streams:end markers")
    return BLOCK.sub(lambda m: m.group(1) + render().rstrip() + "\n" + m.group(3), text, count=1)


def main() -> int:
    wanted = rendered_doc()
    if "--check" in sys.argv:
        if DOC.read_text() != wanted:
            print(f"{DOC.relative_to(ROOT)}: the stream table is out of date; run python scripts/update_docs.py")
            return 1
        return 0
    DOC.write_text(wanted)
    print(f"updated the stream table in {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
