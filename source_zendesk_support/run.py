"""The connector's command line: Airbyte's entrypoint, with this connector's config validation answering first.

A config problem (a file that is not a JSON object, a malformed option, an unusable state) ends as Airbyte's
`config_error` naming the file or field: a FAILED connection status from `check`, an error trace from the other
commands. It never ends in a traceback, and never quotes a secret value.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any, List, Mapping, Optional

from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import ConnectorSpecification, FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .config.model import ZendeskConfig, parse_config
from .foundation.garbage_collection import tune_collector
from .input_files import read_config_file
from .foundation.log_policy import install as install_log_policy
from .foundation.memory import tune_malloc
from .foundation.redaction import install as install_redaction
from .source import SourceZendeskSupport


class ZendeskEntrypoint(AirbyteEntrypoint):
    """Airbyte's entrypoint for a source that holds its parsed config: run() read, parsed and validated it, and
    registered its secrets, before the entrypoint started."""

    @staticmethod
    def validate_connection(source_spec: ConnectorSpecification, config: Mapping[str, Any]) -> None:
        """Nothing left to check: parse_config applied this connector's rules (which include the spec's), whose
        messages name the field. The CDK's own validation would quote the config, password included."""

    @staticmethod
    def set_up_secret_filter(config: Mapping[str, Any], connection_specification: Mapping[str, Any]) -> None:
        """parse_config registered the secrets. The CDK's set-up would replace the filter's list, dropping tokens
        already registered, and take one-letter values that mask every letter."""


def _print(message: Any) -> None:
    print(f"{AirbyteEntrypoint.airbyte_message_to_string(message)}\n", end="", flush=True)


def report_config_error(command: Optional[str], error: AirbyteTracedException) -> int:
    """What the platform expects for a bad config: a FAILED status from check (exit 0), else an error trace (exit 1)."""
    if command == "check":
        _print(error.as_connection_status_message())
        return 0
    message = error.as_sanitized_airbyte_message()
    assert message.trace is not None and message.trace.error is not None  # an error trace message
    message.trace.error.stack_trace = None  # a config problem is the user's to fix; no code path to show
    _print(message)
    return 1


def _parsed_config(parsed_args: Any) -> Optional[ZendeskConfig]:
    path = getattr(parsed_args, "config", None)
    if not path:
        return None
    return parse_config(read_config_file(path))


def _stop(signum: int, frame: Any) -> None:
    """Print what is buffered (whole messages only) and leave at once: worker threads are not waited for, and the
    platform resumes from the last STATE message printed."""
    try:
        PRINT_BUFFER.flush()
    finally:
        os._exit(128 + signum)


def stop_on_sigterm() -> None:
    """In a container Python runs as PID 1, which the kernel spares from SIGTERM's default action: without a
    handler `docker stop` waits for its kill timeout."""
    signal.signal(signal.SIGTERM, _stop)


def run(args: Optional[List[str]] = None) -> int:
    tune_malloc()
    tune_collector()
    install_redaction()
    install_log_policy()
    stop_on_sigterm()
    args = sys.argv[1:] if args is None else args
    parsed_args = AirbyteEntrypoint.parse_args(args)
    command = getattr(parsed_args, "command", None)
    try:
        # Parsed once here, before the entrypoint starts: the worker pool is sized from it, and a bad config
        # is answered before the CDK's own handling can print a traceback.
        config = _parsed_config(parsed_args)
        entrypoint = ZendeskEntrypoint(SourceZendeskSupport(config=config))
        with PRINT_BUFFER:
            for message in entrypoint.run(parsed_args):
                print(f"{message}\n", end="")
    except AirbyteTracedException as error:
        if error.failure_type != FailureType.config_error:
            raise
        return report_config_error(command, error)
    return 0
