"""One redaction for everything the process writes: no secret, encoded form or fragment of one leaves it.

Every line written to stdout or stderr passes `Redactor.mask`, except RECORD, STATE and CONTROL lines: records and
state are Zendesk's data and our cursors, and CONTROL carries the rotated credentials to the platform on purpose.
A server that echoes a token (whole, base64-encoded, or cut short in a quoted body) is masked wherever it lands:
a log line, a TRACE message or stack trace, or the CONNECTION_STATUS of `check`.
"""

from __future__ import annotations

import base64
import io
import sys
import threading
from typing import Iterable, List, Set, TextIO, Tuple
from urllib.parse import quote, quote_plus

from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets

# A fragment this long of a secret is masked wherever it appears; shorter pieces are too common to tell apart.
MIN_FRAGMENT = 6
MASK = "****"
# Lines that are passed through unchanged (see the module docstring), as the serializer starts them.
PASSED_THROUGH = ('{"type":"RECORD"', '{"type":"STATE"', '{"type":"CONTROL"')


def encoded_forms(secret: str) -> Set[str]:
    """The ways a secret travels: as is, URL-encoded (form bodies, query strings) and base64 (Basic headers)."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret), base64.b64encode(secret.encode()).decode().rstrip("=")}
    return {form for form in forms if form}


class Redactor:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: Set[str] = set()
        self._fragments: Set[str] = set()

    def register(self, secret: str) -> None:
        if not isinstance(secret, str) or not secret.strip():
            return
        with self._lock:
            for form in encoded_forms(secret.strip()):
                if len(form) < MIN_FRAGMENT:
                    continue  # a value this short also spells JSON keys and words: masking it would corrupt lines
                self._secrets.add(form)
                self._fragments.update(form[i : i + MIN_FRAGMENT] for i in range(len(form) - MIN_FRAGMENT + 1))

    @property
    def active(self) -> bool:
        return bool(self._secrets)

    def mask(self, text: str) -> str:
        if not self._secrets or not text:
            return text
        spans: List[Tuple[int, int]] = []
        fragments = self._fragments
        for i in range(len(text) - MIN_FRAGMENT + 1):
            if text[i : i + MIN_FRAGMENT] in fragments:
                spans.append((i, i + MIN_FRAGMENT))
        if not spans:
            return text
        return _replace(text, _merge(spans))


def _merge(spans: Iterable[Tuple[int, int]]) -> List[Tuple[int, int]]:
    merged: List[Tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _replace(text: str, spans: List[Tuple[int, int]]) -> str:
    parts, position = [], 0
    for start, end in spans:
        parts.append(text[position:start])
        parts.append(MASK)
        position = end
    parts.append(text[position:])
    return "".join(parts)


REDACTOR = Redactor()


def register_secret(secret: str) -> None:
    """One registration for both filters: ours on every output line, the CDK's on its own log messages. The CDK
    replaces every occurrence of a value, so like ours it gets only values long enough not to spell words."""
    if isinstance(secret, str) and secret.strip():
        REDACTOR.register(secret)
        if len(secret.strip()) >= MIN_FRAGMENT:
            add_to_secrets(secret)


def register_config_secrets(config: object, secret_keys: Iterable[str]) -> None:
    """Every value under a secret-named key, at any depth: legacy and nested credential shapes included."""
    if isinstance(config, dict):
        for key, value in config.items():
            if key in secret_keys and isinstance(value, (str, int)) and not isinstance(value, bool):
                register_secret(str(value))
            else:
                register_config_secrets(value, secret_keys)
    elif isinstance(config, list):
        for value in config:
            register_config_secrets(value, secret_keys)


class RedactingStream(io.TextIOBase):
    """A text stream that masks secrets in every line it passes on (see the module docstring)."""

    def __init__(self, target: TextIO, redactor: Redactor = REDACTOR, pass_data_lines: bool = True):
        self._target = target
        self._redactor = redactor
        self._pass_data_lines = pass_data_lines

    def write(self, text: str) -> int:
        if self._redactor.active and text and not self._all_passed_through(text):
            text = "\n".join(self._masked(line) for line in text.split("\n"))
        return self._target.write(text)

    def _all_passed_through(self, text: str) -> bool:
        """True when every line of `text` is a data line (the usual batch of RECORD lines): counted in C, so
        the batch is not cut into lines and joined again."""
        if not self._pass_data_lines:
            return False
        starts = text.count("\n") + (0 if text.endswith("\n") else 1)
        passed = sum(text.count("\n" + prefix) for prefix in PASSED_THROUGH) + text.startswith(PASSED_THROUGH)
        return passed == starts

    def _masked(self, line: str) -> str:
        if self._pass_data_lines and line.startswith(PASSED_THROUGH):
            return line
        return self._redactor.mask(line)

    def flush(self) -> None:
        self._target.flush()

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._target.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._target, "encoding", "utf-8")


def install() -> None:
    """Route the process's output through the redaction. The CDK's print buffer writes to sys.__stdout__, its
    logger and uncaught-error handler to sys.stdout; all four names point at redacting streams."""
    if isinstance(sys.__stdout__, RedactingStream):
        return
    # sys.__stdout__ and __stderr__ are typed Optional (None without a console); a connector always has them.
    out, err = RedactingStream(sys.__stdout__), RedactingStream(sys.__stderr__, pass_data_lines=False)  # type: ignore[arg-type]
    sys.__stdout__ = sys.stdout = out  # type: ignore[misc, assignment]
    sys.__stderr__ = sys.stderr = err  # type: ignore[misc, assignment]
