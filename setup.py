"""Packaging for the Zendesk source connector and its API sandbox (two independent packages)."""
from setuptools import find_packages, setup

MAIN_REQUIREMENTS = [
    "airbyte-cdk>=7.39,<8",
    "requests>=2.31,<3",
    "orjson>=3.9,<4",
    "pydantic>=2.5,<3",
    "jsonschema>=4.17,<5",
]

SANDBOX_REQUIREMENTS = [
    "aiohttp>=3.9,<4",
    "faker>=20,<40",
    "orjson>=3.9,<4",
]

TEST_REQUIREMENTS = [
    "pytest>=8,<10",
    "pytest-timeout>=2.2,<3",
    "requests-mock>=1.11,<2",
    "hypothesis>=6.90,<7",
    "docker>=7,<8",
    "pyyaml>=6,<7",
    "jsonschema>=4.17,<5",
]

setup(
    name="source-zendesk-support",
    version="6.0.0",
    description="Airbyte source for Zendesk Support, Help Center, Talk and Chat, with a Zendesk API sandbox.",
    python_requires=">=3.11,<3.13",
    packages=find_packages(include=["source_zendesk_support", "source_zendesk_support.*", "zendesk_sandbox", "zendesk_sandbox.*"]),
    package_data={
        "source_zendesk_support": ["spec.json", "schemas/*.json", "schemas/shared/*.json"],
    },
    install_requires=MAIN_REQUIREMENTS + SANDBOX_REQUIREMENTS,
    extras_require={"tests": TEST_REQUIREMENTS},
    entry_points={
        "console_scripts": [
            "source-zendesk-support=source_zendesk_support.run:run",
            "zendesk-sandbox=zendesk_sandbox.cli:main",
        ],
    },
)
