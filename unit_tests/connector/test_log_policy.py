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
