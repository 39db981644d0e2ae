"""Packaging for the Zendesk API sandbox, a distribution of its own so the connector's package and image never carry it.

The code stays in ../zendesk_sandbox, beside the connector it is built to test; this folder only packages it.
Install it for development with `pip install -e sandbox` from the repository root (`make install` does).
"""

from setuptools import find_packages, setup

SANDBOX_REQUIREMENTS = [
    "aiohttp>=3.9,<4",
    "faker>=20,<40",
    "orjson>=3.9,<4",
]

setup(
    name="zendesk-sandbox",
    version="0.1.0",
    description="A local simulator of the Zendesk Support, Help Center, Talk and Chat APIs, for testing API clients.",
    python_requires=">=3.11,<3.13",
    packages=find_packages(where="..", include=["zendesk_sandbox", "zendesk_sandbox.*"]),
    package_dir={"zendesk_sandbox": "../zendesk_sandbox"},
    install_requires=SANDBOX_REQUIREMENTS,
    entry_points={"console_scripts": ["zendesk-sandbox=zendesk_sandbox.cli:main"]},
)
