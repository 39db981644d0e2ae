"""Keep Python's cycle collector off the per-record path.

Parsing one export page makes about a hundred thousand dicts and lists at once, nearly all freed by reference
counting when the page is emitted. With Python's default thresholds (a young collection every 700 new
containers, an older one every 10 of those) the collector walks those pages again and again, and every
full collection also walks the CDK's and the connector's start-up objects, which live until the process ends.
Here the start-up objects are frozen (never walked again) and collections come after 50,000 new containers:
about a third less CPU per ticket at the same peak RSS (docs/benchmarks.md, "CPU per record").
Cycles are still collected, only in larger batches.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000
MIDDLE_THRESHOLD = 20
OLD_THRESHOLD = 1_000


def tune_collector() -> None:
    """Once, after the imports and before the first record."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
