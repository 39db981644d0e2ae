"""How often and how long a request is tried again: the one place of the retry numbers.

The error handler (error_policy.py) runs the sync's policy and check's shorter one, the token endpoint
(auth.py) its own, and the export walkers ask it whether a 504 on a page of that size is answered by a
smaller page rather than a retry.
"""

from __future__ import annotations

import contextlib
import contextvars
import random
from dataclasses import dataclass
from typing import Iterator


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int
    max_seconds: int  # the whole request, retries included (whole seconds: the CDK's max_time is an int)
    max_backoff_seconds: float = 60.0

    def pause(self, retry: int, base_seconds: float = 1.0) -> float:
        """Exponential with jitter (retry 0 waits about base_seconds), capped."""
        return min(self.max_backoff_seconds, base_seconds * (2 ** max(retry, 0))) * random.uniform(0.8, 1.0)


# A sync's pages: a long export is worth waiting for.
SYNC_RETRIES = RetryPolicy(max_retries=12, max_seconds=3600)
# check: a person waits for the answer.
CHECK_RETRIES = RetryPolicy(max_retries=3, max_seconds=120)
# The OAuth token endpoint: a few attempts within a short deadline, so check answers in seconds.
TOKEN_RETRIES = RetryPolicy(max_retries=3, max_seconds=60)

# A host that has refused or ignored every connection for this long is reported, not retried for ever.
UNREACHABLE_AFTER_SECONDS = 60.0

# Export pages above this size are asked again at half the size after a 504 instead of retried as they are.
MIN_SHRINKABLE_PAGE = 100


def shrinks_on_504(page_size: int) -> bool:
    return page_size > MIN_SHRINKABLE_PAGE


def smaller_page(page_size: int) -> int:
    return max(MIN_SHRINKABLE_PAGE, page_size // 2)


# Set while a walker asks for a page it would answer a 504 for by a smaller page: the error handler then hands the
# 504 back instead of retrying the same page.
_smaller_page_on_504: contextvars.ContextVar[bool] = contextvars.ContextVar("smaller_page_on_504", default=False)


@contextlib.contextmanager
def asking_for_page_of(page_size: int) -> Iterator[None]:
    token = _smaller_page_on_504.set(shrinks_on_504(page_size))
    try:
        yield
    finally:
        _smaller_page_on_504.reset(token)


def smaller_page_answers_504() -> bool:
    return _smaller_page_on_504.get()
