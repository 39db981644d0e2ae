"""metadata.yaml: valid for the CDK's metadata model, for Airbyte's published metadata schema, and true to the repo.

airbyte-cdk 7.39.1 ships `airbyte_cdk.models.connector_metadata.MetadataFile`, the model its `airbyte-cdk image
build` reads. It only types a few keys and allows the rest, so the stricter models below restate the facts of
Airbyte's ConnectorMetadataDefinitionV0 schema (required keys, enums, formats) for the keys this file uses.
"""

from __future__ import annotations

import json
import re
from enum import Enum
from pathlib import Path
from uuid import UUID

import pytest
import yaml
from airbyte_cdk.models.connector_metadata import ConnectorLanguage, MetadataFile
from pydantic import BaseModel, ConfigDict, Field, ValidationError

ROOT = Path(__file__).resolve().parent.parent
METADATA_PATH = ROOT / "metadata.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConnectorType(str, Enum):
    source = "source"
    destination = "destination"


class ConnectorSubtype(str, Enum):
    api = "api"
    database = "database"
    datalake = "datalake"
    file = "file"
    custom = "custom"
    message_queue = "message_queue"
    unknown = "unknown"
    vectorstore = "vectorstore"


class ReleaseStage(str, Enum):
    alpha = "alpha"
    beta = "beta"
    generally_available = "generally_available"
    custom = "custom"


class SupportLevel(str, Enum):
    community = "community"
    certified = "certified"
    archived = "archived"


class SuiteName(str, Enum):
    unitTests = "unitTests"
    integrationTests = "integrationTests"
    acceptanceTests = "acceptanceTests"
    liveTests = "liveTests"


class BuildOptions(_Strict):
    baseImage: str = Field(pattern=r"^docker\.io/airbyte/[a-z0-9-]+:\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$")


class AllowedHosts(_Strict):
    hosts: list[str]


class Enabled(_Strict):
    enabled: bool


class RegistryOverrides(_Strict):
    oss: Enabled | None = None
    cloud: Enabled | None = None


class PyPi(_Strict):
    enabled: bool
    packageName: str


class RemoteRegistries(_Strict):
    pypi: PyPi | None = None


class SuggestedStreams(_Strict):
    streams: list[str]


class SuiteOptions(_Strict):
    suite: SuiteName
    testSecrets: list[dict] | None = None
    testConnections: list[dict] | None = None


class BreakingChange(_Strict):
    message: str
    upgradeDeadline: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    migrationDocumentationUrl: str | None = Field(default=None, pattern=r"^https://")
    scopedImpact: list[dict] | None = None


class Releases(_Strict):
    breakingChanges: dict[str, BreakingChange]


class Data(_Strict):
    name: str
    definitionId: UUID
    connectorType: ConnectorType
    connectorSubtype: ConnectorSubtype
    dockerRepository: str = Field(
        pattern=r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*/(source|destination)-[a-z0-9-]+$"
    )
    dockerImageTag: str = Field(pattern=r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")
    documentationUrl: str = Field(pattern=r"^https://")
    githubIssueLabel: str
    license: str
    releaseStage: ReleaseStage
    connectorBuildOptions: BuildOptions | None = None
    allowedHosts: AllowedHosts | None = None
    icon: str | None = None
    supportLevel: SupportLevel | None = None
    maxSecondsBetweenMessages: int | None = Field(default=None, gt=0)
    registryOverrides: RegistryOverrides | None = None
    remoteRegistries: RemoteRegistries | None = None
    suggestedStreams: SuggestedStreams | None = None
    releases: Releases | None = None
    connectorTestSuitesOptions: list[SuiteOptions] | None = None
    tags: list[str] = []


class Metadata(_Strict):
    metadataSpecVersion: str
    data: Data


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(METADATA_PATH.read_text())


@pytest.fixture(scope="module")
def metadata(raw) -> Metadata:
    return Metadata.model_validate(raw)


def test_cdk_metadata_model_reads_it():
    parsed = MetadataFile.from_file(METADATA_PATH)
    assert parsed.data.dockerRepository == "zendesk-support-connector/source-zendesk-support"
    assert parsed.data.language == ConnectorLanguage.PYTHON
    assert parsed.data.connectorBuildOptions and parsed.data.connectorBuildOptions.baseImage


def test_required_facts(metadata):
    data = metadata.data
    assert metadata.metadataSpecVersion == "1.0"
    assert (data.connectorType, data.connectorSubtype) == (ConnectorType.source, ConnectorSubtype.api)
    assert data.name == "Zendesk Support"
    latest = re.search(r"^\| (\d+\.\d+\.\d+) \|", (ROOT / "docs" / "zendesk-support.md").read_text(), re.M).group(1)
    assert data.dockerImageTag == latest  # the changelog's newest row
    assert data.license == "MIT"
    assert data.githubIssueLabel == data.dockerRepository.split("/")[1]
    assert set(data.tags) >= {"language:python", "cdk:python"}
    assert data.allowedHosts.hosts == ["${subdomain}.zendesk.com", "zendesk.com"]


def test_strict_model_rejects_what_airbyte_rejects(raw):
    broken = {**raw, "data": {**raw["data"], "connectorType": "sauce"}}
    with pytest.raises(ValidationError):
        Metadata.model_validate(broken)
    missing = {**raw, "data": {k: v for k, v in raw["data"].items() if k != "releaseStage"}}
    with pytest.raises(ValidationError):
        Metadata.model_validate(missing)
    unknown = {**raw, "data": {**raw["data"], "dockerImageTags": "0.1.0"}}
    with pytest.raises(ValidationError):
        Metadata.model_validate(unknown)


AIRBYTE_DEFINITION_ID = UUID("79c1aa37-dae3-42ae-b333-d1c105477715")  # Airbyte's Zendesk Support source
AIRBYTE_NEWEST_MAJOR = 5  # Airbyte's connector has published up to 5.x


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("-")[0].split("."))


def test_one_version_everywhere(metadata):
    """setup.py, metadata.yaml, the Dockerfile's label and the changelog's newest row name the same version."""
    setup = re.search(r'version="([^"]+)"', (ROOT / "setup.py").read_text()).group(1)
    label = re.search(r"io\.airbyte\.version=(\S+)", (ROOT / "Dockerfile").read_text()).group(1)
    changelog = re.search(r"^\| (\d+\.\d+\.\d+) \|", (ROOT / "docs" / "zendesk-support.md").read_text(), re.M).group(1)
    assert {setup, label, changelog, metadata.data.dockerImageTag} == {setup}


def test_identity_is_airbytes_definition_under_an_image_of_our_own(metadata):
    data = metadata.data
    assert data.definitionId == AIRBYTE_DEFINITION_ID
    assert _version(data.dockerImageTag)[0] > AIRBYTE_NEWEST_MAJOR
    assert not data.dockerRepository.startswith("airbyte/")
    name = re.search(r"io\.airbyte\.name=(\S+)", (ROOT / "Dockerfile").read_text()).group(1)
    assert name == data.dockerRepository


def test_breaking_change_points_to_the_migration_guide(metadata):
    change = metadata.data.releases.breakingChanges[metadata.data.dockerImageTag]
    assert "docs/migrating-from-airbyte.md" in change.message
    assert (ROOT / "docs" / "migrating-from-airbyte.md").exists()


def test_base_image_matches_dockerfile_default(metadata):
    default = re.search(r"^ARG BASE_IMAGE=(\S+)$", (ROOT / "Dockerfile").read_text(), re.M).group(1)
    assert metadata.data.connectorBuildOptions.baseImage == default


def test_documentation_url_matches_spec(metadata):

    spec = json.loads((ROOT / "source_zendesk_support" / "spec.json").read_text())
    assert metadata.data.documentationUrl == spec["documentationUrl"]


def test_suggested_streams_have_schemas(metadata):
    schemas = ROOT / "source_zendesk_support" / "schemas"
    missing = [s for s in metadata.data.suggestedStreams.streams if not (schemas / f"{s}.json").exists()]
    assert not missing, f"suggested streams without a schema: {missing}"


# --- the user documentation (docs/zendesk-support.md) stays true to spec.json and the stream registry -------------
DOC = ROOT / "docs" / "zendesk-support.md"


def _spec_properties() -> tuple[set[str], set[str]]:
    spec = json.loads((ROOT / "source_zendesk_support" / "spec.json").read_text())["connectionSpecification"]
    fields = set(spec["properties"])
    auth_types = {option["properties"]["auth_type"]["const"] for option in spec["properties"]["credentials"]["oneOf"]}
    credential_fields = {name for option in spec["properties"]["credentials"]["oneOf"] for name in option["properties"]}
    return fields | credential_fields, auth_types


def test_docs_describe_every_config_field_and_credential_kind():
    doc = DOC.read_text()
    fields, auth_types = _spec_properties()
    missing = sorted(name for name in fields | auth_types if f"`{name}`" not in doc)
    assert not missing, f"docs/zendesk-support.md does not mention: {missing}"
    assert "2027-04-30" in doc  # the API-token retirement


def test_docs_stream_tables_are_current():  # README.md and docs/zendesk-support.md
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_docs.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
