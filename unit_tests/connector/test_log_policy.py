"""A stream's named failure is logged without a traceback; an unexpected exception keeps its traceback."""

from __future__ import annotations

import io
import logging

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_zendesk_support.foundation.log_policy import NamedErrorsWithoutTraceback


def logged(error: Exception) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(NamedErrorsWithoutTraceback())
    logger = logging.getLogger("test-log-policy")
    logger.addHandler(handler)
    try:
        try:
            raise error
        except Exception as raised:
            logger.error("Exception while syncing stream targets", exc_info=raised)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_a_named_failure_is_logged_with_its_message_and_no_traceback():
    text = logged(
        AirbyteTracedException(message="Stream targets: the pages go in circles", failure_type=FailureType.system_error)
    )
    assert "Stream targets: the pages go in circles" in text
    assert "Traceback" not in text


def test_an_unexpected_exception_keeps_its_traceback():
    text = logged(KeyError("id"))
    assert "Traceback (most recent call last)" in text and "KeyError" in text


# --- answers are told by their shape -----------------------------------------------------------------------------
def test_a_page_is_described_by_its_keys_and_list_sizes_never_its_records():
    from source_zendesk_support.foundation.log_policy import describe_body

    page = {
        "users": [{"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}, {"id": 2}],
        "next_page": "https://x.zendesk.com/api/v2/users?page=2",
        "count": 2,
        "end_of_stream": False,
    }
    text = describe_body(page)
    assert text == "an object with keys users (2 records), next_page, count '2', end_of_stream 'False'"
    assert "Ada" not in text and "ada@" not in text


def test_an_error_body_keeps_zendesks_error_texts():
    from source_zendesk_support.foundation.log_policy import describe_body

    assert (
        describe_body({"error": "InvalidEndpoint", "description": "Not found"})
        == "an object with keys error 'InvalidEndpoint', description 'Not found'"
    )
    assert describe_body({"errors": [{"title": "x"}]}) == "an object with keys errors (1 record)"
    assert (
        describe_body(None) == "a body that is not JSON (or empty)" and describe_body([1, 2]) == "an array of 2 items"
    )


# --- retries say what happened --------------------------------------------------------------------------------------
def _cdk_retry_line(error_message: str, status: int) -> str:
    import requests
    from airbyte_cdk.sources.streams.http.exceptions import UserDefinedBackoffException

    from source_zendesk_support.foundation.log_policy import RetriesSayWhatHappened

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RetriesSayWhatHappened())
    logger = logging.getLogger("test-retry-lines")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    request = requests.Request("GET", "https://x.zendesk.com/api/v2/groups").prepare()
    answer = requests.Response()
    answer.status_code = status
    try:
        try:
            raise UserDefinedBackoffException(backoff=2, request=request, response=answer, error_message=error_message)
        except UserDefinedBackoffException:  # where the CDK logs it: inside the backoff library's handler
            logger.info(f"UserDefinedBackoffException: Rate limit exceeded (HTTP {status}). Retrying in 3.001 seconds.")
    finally:
        logger.removeHandler(handler)
    return stream.getvalue().strip()


def test_the_cdks_rate_limit_line_for_a_500_says_it_was_a_500():
    line = _cdk_retry_line("Stream groups: Zendesk answered HTTP 500; retrying.", 500)
    assert line == "Stream groups: Zendesk answered HTTP 500; trying again in 3 s."


def test_a_429_is_still_told_as_a_rate_limit():
    line = _cdk_retry_line("Stream groups: Zendesk's rate limit was reached (HTTP 429)", 429)
    assert line == "Stream groups: Zendesk's rate limit was reached (HTTP 429); trying again in 3 s."


def test_a_line_outside_a_retry_is_left_as_it_is():
    from source_zendesk_support.foundation.log_policy import RetriesSayWhatHappened

    record = logging.LogRecord(
        "airbyte",
        logging.INFO,
        __file__,
        1,
        "UserDefinedBackoffException: Rate limit exceeded. Retrying in 2 seconds.",
        None,
        None,
    )
    RetriesSayWhatHappened().filter(record)
    assert record.getMessage() == "UserDefinedBackoffException: Rate limit exceeded. Retrying in 2 seconds."
