"""A stream's named failure is logged without a traceback; an unexpected exception keeps its traceback."""
from __future__ import annotations

import io
import logging

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_zendesk_support.log_policy import NamedErrorsWithoutTraceback


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
    text = logged(AirbyteTracedException(message="Stream targets: the pages go in circles", failure_type=FailureType.system_error))
    assert "Stream targets: the pages go in circles" in text
    assert "Traceback" not in text


def test_an_unexpected_exception_keeps_its_traceback():
    text = logged(KeyError("id"))
    assert "Traceback (most recent call last)" in text and "KeyError" in text


# --- answers are told by their shape -----------------------------------------------------------------------------
def test_a_page_is_described_by_its_keys_and_list_sizes_never_its_records():
    from source_zendesk_support.log_policy import describe_body

    page = {"users": [{"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}, {"id": 2}],
            "next_page": "https://x.zendesk.com/api/v2/users?page=2", "count": 2, "end_of_stream": False}
    text = describe_body(page)
    assert text == "an object with keys users (2 records), next_page, count '2', end_of_stream 'False'"
    assert "Ada" not in text and "ada@" not in text


def test_an_error_body_keeps_zendesks_error_texts():
    from source_zendesk_support.log_policy import describe_body

    assert describe_body({"error": "InvalidEndpoint", "description": "Not found"}) == \
        "an object with keys error 'InvalidEndpoint', description 'Not found'"
    assert describe_body({"errors": [{"title": "x"}]}) == "an object with keys errors (1 record)"
    assert describe_body(None) == "a body that is not JSON (or empty)" and describe_body([1, 2]) == "an array of 2 items"
