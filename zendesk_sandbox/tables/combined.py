"""Every endpoint table the sandbox serves: the router is built from them and /_sandbox/summary reports the
`count` of their rows."""

from __future__ import annotations

from .support import SUPPORT_ENDPOINTS
from .chat import CHAT_ENDPOINTS
from .counts import COUNT_ENDPOINTS
from .help_center import HELP_CENTER_ENDPOINTS
from .talk import TALK_ENDPOINTS

ENDPOINT_TABLES = [SUPPORT_ENDPOINTS, HELP_CENTER_ENDPOINTS, TALK_ENDPOINTS, CHAT_ENDPOINTS, COUNT_ENDPOINTS]
