#!/usr/bin/env bash
# Fill wheels/ with a wheel of this project and of every runtime dependency, for the offline image build.
# Tries offline first (deps already in wheels/ from an earlier run), then asks the package index.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
mkdir -p wheels
rm -f wheels/source_zendesk_support-*.whl   # always rebuild the project itself
if "$PYTHON" -m pip wheel --quiet --disable-pip-version-check --no-index --find-links wheels \
        --no-build-isolation --wheel-dir wheels . 2>/dev/null; then
    echo "build_wheels: rebuilt the project wheel against cached dependency wheels" >&2
else
    echo "build_wheels: downloading dependency wheels (about 30 s the first time)" >&2
    "$PYTHON" -m pip wheel --quiet --disable-pip-version-check --find-links wheels --wheel-dir wheels .
fi
echo "build_wheels: $(ls wheels/*.whl | wc -l) wheels, $(du -sh wheels | cut -f1)" >&2
