#!/usr/bin/env bash
# Start or stop a private Docker engine for the container test.
#
#   scripts/docker_engine.sh install   apt-get install docker.io debootstrap when missing (root only)
#   scripts/docker_engine.sh start     start dockerd, print its DOCKER_HOST, wait until it answers
#   scripts/docker_engine.sh stop      stop the dockerd this script started (by its pid file)
#   scripts/docker_engine.sh status    exit 0 when the engine answers
#
# The engine gets its own socket, pid file and exec root under $ENGINE_DIR so it never collides with
# another dockerd on the machine. Its data root persists between runs: that is the image cache.
# No bridge and no iptables: these machines have no registry and no NAT; containers use --network host.
set -euo pipefail

ENGINE_DIR="${ENGINE_DIR:-/var/lib/zendesk-connector-docker}"
SOCKET="$ENGINE_DIR/docker.sock"
PIDFILE="$ENGINE_DIR/dockerd.pid"
LOG="$ENGINE_DIR/dockerd.log"
export DOCKER_HOST="unix://$SOCKET"

log() { echo "docker_engine: $*" >&2; }

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

cmd_install() {
    local missing=()
    command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
    command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
    if [ ${#missing[@]} -eq 0 ]; then return 0; fi
    if [ "$(id -u)" != 0 ]; then
        log "missing ${missing[*]} and not root: cannot apt-get install them"; return 1
    fi
    log "installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

cmd_start() {
    if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && engine_answers; then
        log "already running (pid $(cat "$PIDFILE"))"; echo "$DOCKER_HOST"; return 0
    fi
    command -v dockerd >/dev/null 2>&1 || { log "dockerd not installed (run: $0 install)"; return 1; }
    [ "$(id -u)" = 0 ] || { log "dockerd needs root"; return 1; }
    mkdir -p "$ENGINE_DIR/data" "$ENGINE_DIR/exec"
    rm -f "$SOCKET" "$PIDFILE"
    # setsid: the engine must not die with the shell that started it, only with `stop`.
    setsid dockerd \
        --host="$DOCKER_HOST" \
        --data-root="$ENGINE_DIR/data" \
        --exec-root="$ENGINE_DIR/exec" \
        --pidfile="$PIDFILE" \
        --storage-driver=overlay2 \
        --iptables=false --ip-masq=false --bridge=none \
        >"$LOG" 2>&1 </dev/null &
    local pid=$!
    for _ in $(seq 1 60); do
        if engine_answers; then
            echo "$pid" >"$PIDFILE"
            log "engine up (pid $pid, $DOCKER_HOST)"
            echo "$DOCKER_HOST"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then break; fi
        sleep 0.5
    done
    log "dockerd did not come up; last lines of $LOG:"
    tail -n 20 "$LOG" >&2 || true
    kill "$pid" 2>/dev/null || true
    return 1
}

cmd_stop() {
    [ -f "$PIDFILE" ] || { log "not running (no pid file)"; return 0; }
    local pid; pid="$(cat "$PIDFILE")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        if kill -0 "$pid" 2>/dev/null; then log "dockerd $pid ignored SIGTERM; killing"; kill -KILL "$pid" || true; fi
    fi
    rm -f "$PIDFILE" "$SOCKET"
    log "engine stopped"
}

cmd_status() { engine_answers; }

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
