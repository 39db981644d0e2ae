"""Two distributions from one repo: the connector's wheel carries only the connector, the sandbox's only the sandbox.

Each wheel is built the way scripts/build_wheels.sh builds the image's, from a copy of its sources (so the build
leaves nothing in the work tree), and read back: its files, its requirements and its console scripts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
SANDBOX_ONLY = {"aiohttp", "faker", "zendesk-sandbox"}
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


def build_wheel(project: Path, out: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            str(out),
            str(project),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("*.whl")
    return wheel


def wheel_facts(wheel: Path):
    """(file names, runtime requirements, console scripts) of a wheel."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        entry_points = next((archive.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt")), "")
    requirements = [
        Requirement(line.split(":", 1)[1].strip()) for line in meta.splitlines() if line.startswith("Requires-Dist:")
    ]
    runtime = [r for r in requirements if r.marker is None or r.marker.evaluate({"extra": ""})]
    scripts = re.findall(r"^([\w-]+)\s*=", entry_points.split("[console_scripts]", 1)[-1], re.M) if entry_points else []
    return names, runtime, scripts


@pytest.fixture(scope="module")
def connector_wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("connector-src")
    shutil.copy(REPO / "setup.py", source)
    shutil.copytree(REPO / "source_zendesk_support", source / "source_zendesk_support", ignore=IGNORED)
    return build_wheel(source, tmp_path_factory.mktemp("connector-wheel"))


@pytest.fixture(scope="module")
def sandbox_wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("sandbox-src")
    (source / "sandbox").mkdir()
    shutil.copy(REPO / "sandbox" / "setup.py", source / "sandbox")
    shutil.copytree(REPO / "zendesk_sandbox", source / "zendesk_sandbox", ignore=IGNORED)
    return build_wheel(source / "sandbox", tmp_path_factory.mktemp("sandbox-wheel"))


def test_the_connector_wheel_holds_only_the_connector(connector_wheel):
    names, requirements, scripts = wheel_facts(connector_wheel)
    packages = {name.split("/", 1)[0] for name in names if not name.split("/", 1)[0].endswith(".dist-info")}
    assert packages == {"source_zendesk_support"}
    assert "source_zendesk_support/spec.json" in names and "source_zendesk_support/schemas/tickets.json" in names
    assert scripts == ["source-zendesk-support"]
    named = {canonicalize_name(r.name) for r in requirements}
    assert named and not named & SANDBOX_ONLY, f"the connector requires {sorted(named & SANDBOX_ONLY)}"


def closure(requirements) -> set:
    """Every distribution the requirements pull in, read from the installed packages' metadata."""
    seen, pending = set(), list(requirements)
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.requires(requirement.name) or []:
            nested = Requirement(line)
            extras = requirement.extras or {""}
            if nested.marker is None or any(nested.marker.evaluate({"extra": extra}) for extra in extras):
                pending.append(nested)
    return seen


def test_nothing_the_connector_depends_on_brings_the_sandbox_libraries(connector_wheel):
    _, requirements, _ = wheel_facts(connector_wheel)
    needed = closure(requirements)
    assert "airbyte-cdk" in needed
    assert not needed & SANDBOX_ONLY, f"installing the connector would bring {sorted(needed & SANDBOX_ONLY)}"


def test_the_sandbox_is_a_distribution_of_its_own(sandbox_wheel):
    names, requirements, scripts = wheel_facts(sandbox_wheel)
    packages = {name.split("/", 1)[0] for name in names if not name.split("/", 1)[0].endswith(".dist-info")}
    assert packages == {"zendesk_sandbox"}
    assert "zendesk_sandbox/data/tickets.py" in names
    assert scripts == ["zendesk-sandbox"]
    assert {"aiohttp", "faker"} <= {canonicalize_name(r.name) for r in requirements}
