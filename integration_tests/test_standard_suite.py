"""The CDK's standard source tests (airbyte_cdk.test.standard_tests), in-process, against a local sandbox.

Scenarios come from acceptance-test-config.yml. Configs that need the sandbox's port (`secrets/*.json` there)
are written by the fixture below into a directory private to this pytest process, so two test runs on one
machine never read each other's sandbox URL; the static invalid configs live in integration_tests/.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path

import pytest
from airbyte_cdk.test.standard_tests import SourceTestSuiteBase

from source_zendesk_support.source import SourceZendeskSupport

ROOT = Path(__file__).resolve().parent.parent
SECRETS = Path("secrets")
RUN_SECRETS = ROOT / "secrets" / f"run-{os.getpid()}"


def sandbox_configs(config: dict) -> dict[str, dict]:
    """The configs of acceptance-test-config.yml's `secrets/` entries, built from the sandbox's own config."""
    bad_token = copy.deepcopy(config)
    bad_token["credentials"]["api_token"] = "wrong-token"
    end_before_start = {
        **copy.deepcopy(config),
        "start_date": "2024-06-01T00:00:00Z",
        "end_date": "2024-01-01T00:00:00Z",
    }
    return {
        "config.json": config,
        "invalid_config_bad_token.json": bad_token,
        "invalid_config_end_before_start.json": end_before_start,
    }


@pytest.fixture(scope="module", autouse=True)
def sandbox_config_files(sandbox):
    RUN_SECRETS.mkdir(parents=True, exist_ok=True)
    for name, payload in sandbox_configs(sandbox["config"]).items():
        (RUN_SECRETS / name).write_text(json.dumps(payload, indent=2))
    yield RUN_SECRETS
    shutil.rmtree(RUN_SECRETS, ignore_errors=True)


class TestZendeskSupportStandardSuite(SourceTestSuiteBase):
    connector = SourceZendeskSupport

    @classmethod
    def get_scenarios(cls):
        """The suite's scenarios, with `secrets/NAME` pointing into this process's own secrets directory."""
        scenarios = []
        for scenario in super().get_scenarios():
            path = scenario.config_path
            if path is not None and not path.is_absolute() and path.parent == SECRETS:
                scenario = scenario.model_copy(update={"config_path": RUN_SECRETS / path.name})
            scenarios.append(scenario)
        return scenarios


# The suite only checks that invalid configs fail; these check that each fails for its own reason.
INVALID_CONFIG_REASONS = {
    "invalid_config_bad_token.json": "HTTP 401",
    "invalid_config_end_before_start.json": "'end_date'",
    "invalid_config_bad_subdomain.json": "'subdomain'",
    "invalid_config_password_auth.json": "Password authentication was removed",
}


@pytest.mark.parametrize("name", sorted(INVALID_CONFIG_REASONS))
def test_invalid_config_fails_check_for_its_own_reason(name, sandbox_config_files):
    import logging

    path = RUN_SECRETS / name if (RUN_SECRETS / name).exists() else ROOT / "integration_tests" / name
    status = SourceZendeskSupport().check(logging.getLogger("airbyte"), json.loads(path.read_text()))
    assert status.status.value == "FAILED"
    assert INVALID_CONFIG_REASONS[name] in (status.message or ""), status.message
