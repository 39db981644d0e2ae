#!/usr/bin/env bash
# Fill wheels/ for the offline image build: wheels/deps/ (every runtime dependency of the connector, one version
# each) and wheels/project/ (the connector). Separate directories let the image cache the dependency layer.
# Only the connector's distribution (setup.py) is built: the sandbox (sandbox/setup.py) never reaches the image.
# wheels/deps/ is refilled from its previous contents when they still satisfy setup.py (no download), otherwise
# from the index; either way it ends up holding exactly what the connector needs, nothing left from before.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
PIP=("$PYTHON" -m pip --disable-pip-version-check)
mkdir -p wheels/deps wheels/project
rm -rf wheels/deps.next
rm -f wheels/project/*.whl wheels/*.whl
if "${PIP[@]}" wheel --quiet --no-index --find-links wheels/deps --no-build-isolation --wheel-dir wheels/deps.next . \
        2>/dev/null; then
    echo "build_wheels: dependency wheels cached" >&2
else
    echo "build_wheels: downloading dependency wheels (about 30 s)" >&2
    rm -rf wheels/deps.next
    "${PIP[@]}" wheel --quiet --find-links wheels/deps --wheel-dir wheels/deps.next .
fi
rm -rf wheels/deps && mv wheels/deps.next wheels/deps
mv wheels/deps/source_zendesk_support-*.whl wheels/project/
echo "build_wheels: $(ls wheels/deps | wc -l) dependency wheels ($(du -sh wheels/deps | cut -f1)) + $(ls wheels/project)" >&2
