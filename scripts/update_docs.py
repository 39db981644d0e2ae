"""Regenerate the stream tables in README.md and docs/zendesk-support.md from the connector's registry, and the
coverage table in docs/zendesk-support.md from the registry and its exclusion rows.

    python scripts/update_docs.py          rewrite each table between its `<name>:start` / `<name>:end` markers
    python scripts/update_docs.py --check  exit 1 when a table is out of date
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README, USER_DOCS = ROOT / "README.md", ROOT / "docs" / "zendesk-support.md"
# Which generated tables each document holds: marker name -> the module rendering it.
TABLES = {
    README: {"streams": "registry.stream_docs"},
    USER_DOCS: {"streams": "registry.stream_docs", "coverage": "registry.coverage_docs"},
}


def block(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- {name}:start[^>]*-->\n)(.*?)(<!-- {name}:end -->)", re.S)


def rendered(doc: Path, text: str, name: str, table: str) -> str:
    if not block(name).search(text):
        raise SystemExit(f"{doc.relative_to(ROOT)} has no {name}:start/{name}:end markers")
    return block(name).sub(lambda m: m.group(1) + table.rstrip() + "\n" + m.group(3), text, count=1)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from importlib import import_module

    stale = []
    for doc, tables in TABLES.items():
        wanted = doc.read_text()
        for name, module in tables.items():
            wanted = rendered(doc, wanted, name, import_module(f"source_zendesk_support.{module}").render())
        if doc.read_text() == wanted:
            continue
        stale.append(doc.relative_to(ROOT))
        if "--check" not in sys.argv:
            doc.write_text(wanted)
            print(f"updated the generated tables in {doc.relative_to(ROOT)}")
    if "--check" in sys.argv and stale:
        print(f"out-of-date generated tables in {', '.join(map(str, stale))}; run python scripts/update_docs.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
