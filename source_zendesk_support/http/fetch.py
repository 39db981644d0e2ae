"""The one way a stream's requests leave: one HTTP client per stream, the origin policy on every link, redirects
within the configured origin, the plan gate on a stream's first request, and the stream's named failures.

Walkers are handed a `Fetch`: it is also who they report through (its `name`, `logger` and `fail`), so a page
goes walker -> fetch -> answer -> records without climbing back into the stream.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Mapping, Optional, Set
from urllib.parse import urlsplit, urlunsplit

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.message import InMemoryMessageRepository
from airbyte_cdk.sources.streams.call_rate import APIBudget, LimiterSession
from airbyte_cdk.sources.streams.http import HttpClient
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from requests.auth import AuthBase

from ..config.model import ZendeskConfig
from .answer import ApiAnswer, FeatureUnavailable, RawAnswer, parse_answer
from ..foundation.log_policy import describe_body
from ..foundation.numbers import BadNumber
from .error_policy import CONNECT_TIMEOUT_SECONDS, ZendeskBackoff, ZendeskErrorHandler, bad_number, wait_refused
from .origin_policy import OriginPolicy, is_absolute
from .rate_waits import WaitTooLong, requesting_stream
from .ticket_scope import with_scope
from .transport import MIB, bounded_session, deadline_for, idle_read_for

MAX_REDIRECTS = 5
# How a stream words a refused answer; search streams turn a refused query into a config error.
Explain = Callable[[str, ApiAnswer, str], AirbyteTracedException]


def stream_failure(name: str, answer: ApiAnswer, what: str) -> AirbyteTracedException:
    message = f"Stream {name}: {what} (HTTP {answer.status}, {describe_body(answer.body)})"
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.system_error)


class Fetch:
    """GETs for one stream. Retries, waits, token refreshes and the rate budget run inside the CDK's HttpClient;
    its session reads every body within the size cap, the idle-read limit and the whole-request deadline
    (transport.py)."""

    def __init__(
        self,
        name: str,
        logger: logging.Logger,
        config: ZendeskConfig,
        origin_policy: OriginPolicy,
        authenticator: Optional[AuthBase],
        budget: APIBudget,
        error_handler: ZendeskErrorHandler,
        names_rate_waits: bool = True,
        explain: Explain = stream_failure,
    ):
        self.name = name
        self.logger = logger
        self._config = config
        self._policy = origin_policy
        self._names_rate_waits = names_rate_waits  # a stream of the catalog, whose waits carry its name
        self._explain = explain
        self._answered_paths: Set[str] = set()
        # The support_type_scope asked of the ticket endpoints: the config's, or a running backfill's.
        self.ticket_scope: str = config.ticket_scope
        session = bounded_session(
            LimiterSession(api_budget=budget),
            config.max_response_mb * MIB,
            deadline_for(config.request_timeout_seconds),
            idle_read_for(config.request_timeout_seconds),
        )
        self.http_client = HttpClient(
            name=name,
            logger=logger,
            error_handler=error_handler,
            api_budget=budget,
            session=session,
            authenticator=authenticator,
            use_cache=False,
            backoff_strategy=ZendeskBackoff(config.backoff_base_seconds, config.max_wait_seconds, name, logger),
            message_repository=InMemoryMessageRepository(),
        )

    def get(self, path_or_url: str, params: Optional[Mapping[str, Any]] = None) -> ApiAnswer:
        """One page, parsed."""
        return parse_answer(self.get_raw(path_or_url, params))

    def get_raw(self, path_or_url: str, params: Optional[Mapping[str, Any]] = None) -> RawAnswer:
        """One page, unparsed. Links from answers pass the origin policy; redirects are followed only within the
        configured origin; a 403/404 is a plan gate only on the stream's first request."""
        followed = is_absolute(path_or_url)  # a link from an answer: a later page, never a stream's first request
        url = self._policy.link(path_or_url, self.name) if followed else self._config.api_url + path_or_url.lstrip("/")
        params = with_scope(url, params, self.ticket_scope)
        for _ in range(MAX_REDIRECTS + 1):
            response = self._send(url, params)
            if not response.is_redirect:
                break
            url, params = (
                self._policy.redirect(response.headers.get("Location", ""), response.url or url, self.name),
                None,
            )
        else:
            raise self.fail(
                ApiAnswer(response.status_code, None, response.headers), f"too many redirects from {path_or_url}"
            )
        path = urlsplit(url).path
        if response.status_code in (403, 404):
            if followed or path in self._answered_paths:
                raise self._refused_later_page(response.status_code, url)
            raise FeatureUnavailable(response.status_code, url, response.content)
        if 200 <= response.status_code < 300:
            self._answered_paths.add(path)
        return RawAnswer(response.status_code, response.content, response.headers)

    def fail(self, answer: ApiAnswer, what: str) -> AirbyteTracedException:
        """The stream's failure for an answer it cannot use, naming what was asked and what came back."""
        return self._explain(self.name, answer, what)

    def _refused_later_page(self, status: int, url: str) -> AirbyteTracedException:
        """A 403/404 after Zendesk already answered this list is a broken or withdrawn page, not a plan gate."""
        parts = urlsplit(url)
        where = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        message = (
            f"Stream {self.name}: Zendesk answered HTTP {status} for {where} after earlier pages of this list "
            "had answered. That is not a plan gate: the stream stops here, the other streams go on."
        )
        return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.system_error)

    def _send(self, url: str, params: Optional[Mapping[str, Any]]) -> requests.Response:
        # The rate budget waits in this thread, and tells the wait in this stream's name.
        named = requesting_stream.set(self.name if self._names_rate_waits else "")
        try:
            _, response = self.http_client.send_request(
                "GET",
                url,
                request_kwargs={
                    "timeout": (CONNECT_TIMEOUT_SECONDS, self._config.request_timeout_seconds),
                    "allow_redirects": False,
                },
                params=dict(params or {}),
            )
            return response
        except WaitTooLong as wait:
            raise wait_refused(self.name, wait, self._config.max_wait_seconds) from None
        except BadNumber as error:  # a rate-limit header the budget could not use
            raise bad_number(self.name, error) from None
        finally:
            requesting_stream.reset(named)
