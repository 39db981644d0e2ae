"""What the log shows of a failed stream: the named error, not a Python traceback.

A stream that fails with an AirbyteTracedException has already said what went wrong, in words, in its TRACE
error; the CDK also logs the exception with its traceback, which a user reads as a crash. Those log lines keep
their text and lose the traceback. Unexpected exceptions keep theirs: there the traceback is the only clue.
"""
from __future__ import annotations

import logging

from airbyte_cdk.utils.traced_exception import AirbyteTracedException


class NamedErrorsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, AirbyteTracedException):
            record.msg = f"{record.getMessage()}: {error.message or error}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def install() -> None:
    """On every handler of the root logger, where the CDK's console handler sits."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(existing, NamedErrorsWithoutTraceback) for existing in handler.filters):
            handler.addFilter(NamedErrorsWithoutTraceback())
