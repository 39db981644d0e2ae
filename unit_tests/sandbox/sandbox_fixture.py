"""Run a Zendesk sandbox in a subprocess for a test: `with running_sandbox("--tickets", "200") as info: ...`.

`info` is the JSON line the sandbox prints (url, credentials, connector config) plus `process`. Importable as
`sandbox_fixture` from this directory or as `unit_tests.sandbox.sandbox_fixture` from the project root."""

from __future__ import annotations

from zendesk_sandbox.launcher import PROJECT_ROOT, START_TIMEOUT, running_sandbox  # noqa: F401
