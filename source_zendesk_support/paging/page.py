"""What a walker yields, who it walks for, and the sources it asks for pages."""

from __future__ import annotations

import contextvars
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Protocol

from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..http.answer import ApiAnswer, RawAnswer, parse_answer
from ..sync.page_permits import PagePermits


@dataclass
class Page:
    """One answered page. `items` is the page's list after the walker's rules (boundary de-duplication and
    end_date for exports); `position` is where a later read resumes once this page is emitted (a value of None
    means: forget that key), or None when the page moves nothing."""

    body: Any  # the answer's JSON: an object, or a bare array (Chat's lists)
    items: List[Mapping[str, Any]] = field(default_factory=list)
    position: Optional[Dict[str, Any]] = None
    # The walker had to start over without the saved position (Zendesk refused an old cursor).
    restarted: bool = False
    # A bounded read (end_date) ends with this page.
    reached_end: bool = False
    # The walker asks for another page after this one (set by the cursor-page, time-export and chat walkers).
    more: bool = False


class Walker(Protocol):
    """Who a walker reports through (http/fetch.py's Fetch): the stream name errors and warnings carry, its
    logger, and its failure for an answer that cannot be used."""

    @property
    def name(self) -> str: ...

    @property
    def logger(self) -> logging.Logger: ...

    def fail(self, answer: ApiAnswer, what: str) -> AirbyteTracedException: ...


class DirectSource:
    """Asks for a page when its answer is wanted, in the context it was asked in (http/retry_policy.py)."""

    def __init__(self, fetch: Callable[[Mapping[str, Any]], ApiAnswer]):
        self._fetch = fetch
        self._params: Mapping[str, Any] = {}
        self._asked_in = contextvars.copy_context()

    def ask(self, params: Mapping[str, Any]) -> None:
        self._params = dict(params)
        self._asked_in = contextvars.copy_context()

    def answer(self) -> ApiAnswer:
        return self._asked_in.run(self._fetch, self._params)

    def close(self) -> None:
        pass


class PrefetchingSource:
    """Asks for the next page in the background while the current one is emitted. The page travels as bytes and
    is parsed only when its turn comes, under a permit (sync/page_permits.py), so a page fetched ahead costs
    bytes, not objects, and a reader waiting for its next page holds no parsed page."""

    def __init__(self, fetch_raw: Callable[[Mapping[str, Any]], RawAnswer], permits: PagePermits, thread_name: str):
        self._fetch_raw = fetch_raw
        self._permits = permits
        self._thread_name = thread_name
        self._ahead: Optional[ThreadPoolExecutor] = None
        self._pending: Optional[Future] = None

    def ask(self, params: Mapping[str, Any]) -> None:
        if self._ahead is None:
            self._ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._thread_name)
        # The background thread fetches in the asker's context (http/retry_policy.py: how a 504 is answered).
        self._pending = self._ahead.submit(contextvars.copy_context().run, self._fetch_raw, dict(params))

    def answer(self) -> ApiAnswer:
        pending, self._pending = self._pending, None
        self._permits.let_go()
        assert pending is not None  # asked for before each answer
        raw = pending.result()
        self._permits.hold()
        return parse_answer(raw)

    def close(self) -> None:
        self._permits.let_go()
        if self._ahead is not None:
            self._ahead.shutdown(wait=False, cancel_futures=True)
            self._ahead = None
