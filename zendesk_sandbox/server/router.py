"""Match request paths against the endpoint table's path templates (`{name}` = one path segment)."""

from __future__ import annotations

import re

from ..foundation.routing import normalize_path


class Router:
    def __init__(self) -> None:
        self._exact: dict[str, object] = {}
        self._patterns: list[tuple[re.Pattern, object]] = []

    def add(self, template: str, target) -> None:
        if "{" not in template:
            self._exact[template] = target
            return
        regex = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
        self._patterns.append((re.compile(regex), target))

    def match(self, path: str):
        """(target, params) for a request path, or (None, {})."""
        path = normalize_path(path)
        target = self._exact.get(path)
        if target is not None:
            return target, {}
        for regex, target in self._patterns:
            m = regex.match(path)
            if m:
                return target, m.groupdict()
        return None, {}
