#!/usr/bin/env bash
# Build the local base images the connector image is built FROM, without any image registry:
#   local/debian:bookworm        debootstrap (minbase) of the Debian mirror apt already uses, then `docker import`
#   local/python-base:bookworm   + python3.11, venv and the `airbyte` user (scripts/python-base/Dockerfile)
# Each image is skipped when its tag already exists, so re-runs take a second. Needs root and a running
# engine (DOCKER_HOST from scripts/docker_engine.sh start). Prints the python base image tag.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
DEBIAN_IMAGE="${DEBIAN_IMAGE:-local/debian:bookworm}"
PYTHON_BASE_IMAGE="${PYTHON_BASE_IMAGE:-local/python-base:bookworm}"

log() { echo "build_base_images: $*" >&2; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

debian_mirror() {
    # First http(s) mirror of the main archive in apt's sources (deb822 or one-line format).
    local uri
    uri="$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list \
        | grep -oE 'https?://[^ ]+' | grep -v -- '-security' | head -n 1 || true)"
    echo "${uri:-http://deb.debian.org/debian}"
}

if have_image "$DEBIAN_IMAGE"; then
    log "$DEBIAN_IMAGE cached"
else
    mirror="$(debian_mirror)"
    rootfs="$(mktemp -d /var/tmp/debootstrap.XXXXXX)"
    trap 'rm -rf "$rootfs"' EXIT
    log "debootstrap bookworm from $mirror (about 25 s)"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 \
        || { tail -n 20 "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
    rm -f "$rootfs.log"
    # Make apt inside the image use the same mirror, then import the tree as an image.
    echo "deb $mirror bookworm main" >"$rootfs/etc/apt/sources.list"
    tar -C "$rootfs" -c . | docker import - "$DEBIAN_IMAGE" >/dev/null
    log "imported $DEBIAN_IMAGE"
fi

if have_image "$PYTHON_BASE_IMAGE"; then
    log "$PYTHON_BASE_IMAGE cached"
else
    log "building $PYTHON_BASE_IMAGE"
    docker build --network host --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" \
        -t "$PYTHON_BASE_IMAGE" "$HERE/python-base" >&2
fi
echo "$PYTHON_BASE_IMAGE"
