"""Packaging for the Zendesk Support connector alone: the API sandbox is its own distribution (sandbox/setup.py)."""

from setuptools import find_packages, setup

MAIN_REQUIREMENTS = [
    "airbyte-cdk>=7.39,<8",
    "requests>=2.31,<3",
    "orjson>=3.9,<4",
    "pydantic>=2.5,<3",
    "jsonschema>=4.17,<5",
]

TEST_REQUIREMENTS = [
    "pytest>=8,<10",
    "pytest-timeout>=2.2,<3",
    # `make test` runs the suite on every core (-n auto); --dist loadfile keeps each module on one worker.
    "pytest-xdist>=3.6,<4",
    "requests-mock>=1.11,<2",
    "hypothesis>=6.90,<7",
    "docker>=7,<8",
    "pyyaml>=6,<7",
    "jsonschema>=4.17,<5",
    # PyAirbyte, driven by a test as a user would run the connector from Python.
    "airbyte>=0.71,<0.72",
    # `make lint`: ruff (lint and format) and mypy, configured in pyproject.toml. Exact: a newer release may format
    # or type-check differently, and CI must judge the code as it was checked here.
    "ruff==0.17.6",
    "mypy==2.4.1",
]

setup(
    name="source-zendesk-support",
    version="6.0.0",
    description="Airbyte source for Zendesk Support, Help Center, Talk and Chat.",
    python_requires=">=3.11,<3.13",
    packages=find_packages(include=["source_zendesk_support", "source_zendesk_support.*"]),
    package_data={
        "source_zendesk_support": ["spec.json", "schemas/*.json", "schemas/shared/*.json"],
    },
    install_requires=MAIN_REQUIREMENTS,
    extras_require={"tests": TEST_REQUIREMENTS},
    entry_points={
        "console_scripts": [
            "source-zendesk-support=source_zendesk_support.run:run",
        ],
    },
)
