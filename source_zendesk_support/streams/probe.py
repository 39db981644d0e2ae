"""check's requests go the way every stream's do (retries, rate budget, token refresh, error policy), through a
probe: a stream object that is never read, only asked to fetch. Check retries less than a sync: a person waits."""

from __future__ import annotations

from typing import Optional, Union

import requests

from ..http.error_policy import ZendeskErrorHandler
from ..http.retry_policy import CHECK_RETRIES
from ..sync.context import SyncContext
from .base import ZendeskStream
from .spec import StreamSpec


class _RememberingErrorHandler(ZendeskErrorHandler):
    """The error policy, remembering the last answer or network error, so that check can name the cause once the
    retries have run out."""

    last: Union[requests.Response, Exception, None] = None

    def interpret_response(self, response_or_exception=None):
        self.last = response_or_exception
        return super().interpret_response(response_or_exception)


class AccountProbe(ZendeskStream):
    has_stream_status = False  # check's requests belong to no stream of the catalog

    def __init__(self, context: SyncContext):
        self.errors: Optional[_RememberingErrorHandler] = None
        super().__init__(
            StreamSpec("check", "users/me.json", AccountProbe, "user", primary_key=None), context, incremental=False
        )

    def error_handler(self) -> ZendeskErrorHandler:
        self.errors = _RememberingErrorHandler(
            self.logger, can_refresh_token=self.context.config.can_refresh_token, retries=CHECK_RETRIES
        )
        return self.errors

    @property
    def last_failure(self) -> Union[requests.Response, Exception, None]:
        """The last answer or network error the error policy saw."""
        return self.errors.last if self.errors is not None else None

    def read_pages(self, stream_slice):
        return iter(())
