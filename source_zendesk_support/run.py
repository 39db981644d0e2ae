import sys
from typing import List, Optional

from airbyte_cdk.entrypoint import AirbyteEntrypoint, launch

from .memory import tune_malloc
from .config import SECRET_FIELDS
from .redaction import install as install_redaction, register_config_secrets
from .source import SourceZendeskSupport


def _config_from_args(args: List[str]) -> Optional[dict]:
    try:
        parsed = AirbyteEntrypoint.parse_args(args)
        path = getattr(parsed, "config", None)
        return AirbyteEntrypoint.read_config(path) if path else None
    except Exception:  # the entrypoint reports bad arguments and unreadable files itself
        return None


def run(args: Optional[List[str]] = None) -> None:
    tune_malloc()
    install_redaction()
    args = sys.argv[1:] if args is None else args
    config = _config_from_args(args)
    register_config_secrets(config, SECRET_FIELDS)  # before anything can echo them
    launch(SourceZendeskSupport(config=config), args)
