#!/usr/bin/env bash
# Fill wheels/ for the offline image build: wheels/deps/ (every runtime dependency, one version each) and
# wheels/project/ (this project). Separate directories let the image cache the dependency layer.
# Reuses wheels/deps/ when it still satisfies setup.py; otherwise downloads them again from the index.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
PIP=("$PYTHON" -m pip --disable-pip-version-check)
mkdir -p wheels/deps wheels/project
rm -f wheels/project/*.whl wheels/*.whl
if "${PIP[@]}" wheel --quiet --no-index --find-links wheels/deps --no-build-isolation --wheel-dir wheels/deps . \
        2>/dev/null; then
    echo "build_wheels: dependency wheels cached" >&2
else
    echo "build_wheels: downloading dependency wheels (about 30 s)" >&2
    rm -f wheels/deps/*.whl
    "${PIP[@]}" wheel --quiet --wheel-dir wheels/deps .
fi
mv wheels/deps/source_zendesk_support-*.whl wheels/project/
echo "build_wheels: $(ls wheels/deps | wc -l) dependency wheels ($(du -sh wheels/deps | cut -f1)) + $(ls wheels/project)" >&2
