"""Reads the files the platform passes (--config, --state) and names the file when one is not what it must be."""

from __future__ import annotations

import json
from typing import Any, Dict, List

from airbyte_cdk.models import AirbyteStateMessage

from .config.model import config_error
from .state.migration import normalize_state_messages


def _json_file(path: str, what: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise config_error(f"The {what} file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise config_error(f"The {what} file {path} cannot be read: {error.__class__.__name__}.") from None
    except json.JSONDecodeError as error:
        raise config_error(
            f"The {what} file {path} is not valid JSON (line {error.lineno}, column {error.colno})."
        ) from None


def read_config_file(path: str) -> Dict[str, Any]:
    config = _json_file(path, "config")
    if not isinstance(config, dict):
        raise config_error(f"The config file {path} must hold a JSON object, not a {type(config).__name__}.")
    return config


def read_state_file(path: str) -> List[AirbyteStateMessage]:
    if not path:
        return []
    return normalize_state_messages(_json_file(path, "state"), where=f"The state file {path}")
