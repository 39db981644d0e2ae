#!/usr/bin/env bash
# Build the connector image from local wheels: scripts/build_image.sh [TAG] [BASE_IMAGE]
# Needs a running engine (DOCKER_HOST). Prints the image tag.
set -euo pipefail
cd "$(dirname "$0")/.."
TAG="${1:-zendesk-support-connector/source-zendesk-support:dev}"
BASE_IMAGE="${2:-local/python-base:bookworm}"
scripts/build_wheels.sh
echo "build_image: docker build $TAG FROM $BASE_IMAGE" >&2
docker build --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$TAG" . >&2
echo "$TAG"
