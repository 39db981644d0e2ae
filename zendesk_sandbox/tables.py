"""Every endpoint table the sandbox serves: the router is built from them and /_sandbox/summary reports the
`count` of their rows."""

from __future__ import annotations

from .endpoints import SUPPORT_ENDPOINTS
from .endpoints_chat import CHAT_ENDPOINTS
from .endpoints_counts import COUNT_ENDPOINTS
from .endpoints_help_center import HELP_CENTER_ENDPOINTS
from .endpoints_talk import TALK_ENDPOINTS

ENDPOINT_TABLES = [SUPPORT_ENDPOINTS, HELP_CENTER_ENDPOINTS, TALK_ENDPOINTS, CHAT_ENDPOINTS, COUNT_ENDPOINTS]
