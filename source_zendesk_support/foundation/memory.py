"""Keep the sync's memory flat. Two glibc settings, each measured (docs/benchmarks.md):

- Arenas: glibc gives every thread that allocates its own malloc arena (up to 8 per core), and the reader
  threads' freed pages stay spread over those arenas. Two arenas: peak RSS at 10k tickets 237 -> 200 MB.
- The mmap threshold: glibc raises it each time a large block is freed, up to 32 MB, so after the first few
  1-2 MB response bodies every later one comes from the heap and leaves holes there when freed: RSS crept up
  all through a long sync (184 -> 246 MB over a 1M-ticket sync) while Python's own objects stayed flat. A fixed
  threshold keeps large blocks in their own mappings, returned to the system when freed: 100k 196 -> 168 MB.

A setting given in the environment (MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_) wins; other C libraries are left be.
"""

from __future__ import annotations

import ctypes
import os
from typing import Dict

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter numbers
M_ARENA_MAX = -8
SETTINGS = {
    # parameter: (value, environment variable that overrides it)
    M_ARENA_MAX: (2, "MALLOC_ARENA_MAX"),
    M_MMAP_THRESHOLD: (256 * 1024, "MALLOC_MMAP_THRESHOLD_"),
}


def tune_malloc() -> Dict[int, bool]:
    """Before the first thread starts. Which settings glibc took (none when the environment set them or the
    C library is not glibc)."""
    taken = {parameter: False for parameter in SETTINGS}
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
        return taken
    for parameter, (value, variable) in SETTINGS.items():
        if not os.environ.get(variable):
            taken[parameter] = bool(mallopt(parameter, value))
    return taken
