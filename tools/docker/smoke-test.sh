#!/usr/bin/env bash
# Smoke test of the real image in a real Docker engine: build the Dockerfile, start the container, wait for
# its HEALTHCHECK to report healthy, check readiness, the web app and the metrics port, then `docker stop`
# (SIGTERM) and require exit code 0. Run it by hand or with VELORA_DOCKER_SMOKE=1 npx jest test/deploy/dockerfile.spec.ts.
#
# On a machine without a running engine it starts one (needs root and Debian's docker.io: dockerd), with no
# bridge and no iptables rules: the build and the container use the host's network (--network host), so all
# traffic stays on loopback and the package registries. Where node:20-bookworm-slim cannot be pulled (no
# Docker Hub access), it builds a stand-in under the same tag: Debian bookworm (debootstrap, minbase) + this
# machine's Node 20 binary and npm + the image's `node` user (uid 1000) + this machine's CA bundle.
set -euo pipefail
cd "$(dirname "$0")/../.."

WORK=${VELORA_SMOKE_DIR:-/tmp/velora-docker-smoke}
IMAGE=${VELORA_SMOKE_IMAGE:-velora:smoke}
BASE=node:20-bookworm-slim
PORT=${VELORA_SMOKE_PORT:-39180}
METRICS_PORT=${VELORA_SMOKE_METRICS_PORT:-39181}
NAME=velora-smoke-$$
mkdir -p "$WORK"
STARTED_DOCKERD=""

cleanup() {
  docker rm -f "$NAME" "$NAME-ro" >/dev/null 2>&1 || true
  if [ -n "$STARTED_DOCKERD" ] && [ -f "$WORK/dockerd.pid" ]; then
    pid=$(cat "$WORK/dockerd.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    # dockerd leaves its network namespace mounted under the exec root
    if mountpoint -q "$WORK/exec/netns/default" 2>/dev/null; then umount "$WORK/exec/netns/default" || true; fi
  fi
}
trap cleanup EXIT

log() { echo "== $*"; }

# 1. an engine
if ! docker info >/dev/null 2>&1; then
  if ! command -v dockerd >/dev/null 2>&1; then
    log "installing Debian's docker.io (dockerd)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  fi
  log "starting dockerd (no bridge, no iptables) on $WORK/docker.sock"
  mkdir -p "$WORK/data" "$WORK/exec"
  dockerd --data-root "$WORK/data" --exec-root "$WORK/exec" --pidfile "$WORK/dockerd.pid" -H "unix://$WORK/docker.sock" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false >"$WORK/dockerd.log" 2>&1 &
  STARTED_DOCKERD=1
  export DOCKER_HOST="unix://$WORK/docker.sock"
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null
fi

# 2. the base image
if ! docker image inspect "$BASE" >/dev/null 2>&1 && ! docker pull "$BASE" >/dev/null 2>&1; then
  log "$BASE cannot be pulled: building a stand-in (debootstrap bookworm + this machine's Node $(node --version))"
  command -v debootstrap >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  ROOTFS="$WORK/rootfs"
  if [ ! -x "$ROOTFS/bin/sh" ]; then
    rm -rf "$ROOTFS"
    debootstrap --variant=minbase bookworm "$ROOTFS" http://deb.debian.org/debian >"$WORK/debootstrap.log"
  fi
  NODE_BIN=$(readlink -f "$(command -v node)")
  NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  mkdir -p "$ROOTFS/usr/local/bin" "$ROOTFS/usr/local/lib/node_modules" "$ROOTFS/etc/ssl/certs"
  cp "$NODE_BIN" "$ROOTFS/usr/local/bin/node"
  rm -rf "$ROOTFS/usr/local/lib/node_modules/npm" && cp -a "$NPM_DIR" "$ROOTFS/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
  chroot "$ROOTFS" sh -c 'id node >/dev/null 2>&1 || (groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node)'
  CA=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
  [ -f "$CA" ] && cp "$CA" "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb
  tar -C "$ROOTFS" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' - "$BASE" >/dev/null
fi

# 3. build (classic builder: it uses the local base image; --network host: npm reaches its registry)
log "docker build -t $IMAGE ."
start=$(date +%s)
DOCKER_BUILDKIT=0 docker build --network host -t "$IMAGE" . >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; exit 1; }
log "built in $(( $(date +%s) - start )) s: $(docker image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1000000}')"

# 4. run: demo mode (built-in simulator), PGlite in the /app/data volume; the HEALTHCHECK's own command, checked every 2 s
docker run -d --name "$NAME" --network host --health-interval 2s --health-start-period 60s \
  -e NODE_ENV=development -e HOST=127.0.0.1 -e PORT="$PORT" -e METRICS_PORT="$METRICS_PORT" "$IMAGE" >/dev/null
for _ in $(seq 1 90); do
  status=$(docker inspect --format '{{.State.Health.Status}}' "$NAME")
  [ "$status" = healthy ] && break
  [ "$(docker inspect --format '{{.State.Running}}' "$NAME")" = true ] || { docker logs "$NAME"; exit 1; }
  sleep 1
done
[ "$status" = healthy ] || { docker logs "$NAME"; echo "not healthy: $status"; exit 1; }
log "container healthy"
[ "$(docker exec "$NAME" id -u)" = 1000 ] || { echo "runs as $(docker exec "$NAME" id -u), not node (1000)"; exit 1; }
node -e "
  const get = (u) => fetch(u).then((r) => { if (!r.ok) throw new Error(u + ' ' + r.status); return r.text(); });
  Promise.all([get('http://127.0.0.1:$PORT/api/health/ready'), get('http://127.0.0.1:$PORT/'), get('http://127.0.0.1:$METRICS_PORT/metrics')])
    .then(([, , metrics]) => { if (!metrics.includes('velora_build_info')) throw new Error('no velora metrics'); })
    .catch((e) => { console.error(e.message); process.exit(1); });"
log "ready, web app and metrics answer"

# 5. docker stop = SIGTERM, then SIGKILL after 60 s: a graceful shutdown exits 0 well before
docker stop -t 60 "$NAME" >/dev/null
code=$(docker inspect --format '{{.State.ExitCode}}' "$NAME")
docker logs "$NAME" 2>&1 | grep -q 'HTTP drained' || { docker logs "$NAME" | tail -20; echo "no graceful shutdown in the log"; exit 1; }
[ "$code" = 0 ] || { docker logs "$NAME" | tail -20; echo "exit code $code"; exit 1; }
log "stopped with exit code 0"

# 6. as the Kubernetes manifests run it: production, read-only root filesystem, tmpfs /tmp, PostgreSQL, and
#    SIPPY_HEALTH_STRICT=false with an unreachable switch (the liveness probe must answer 200 "degraded")
if command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q && command -v psql >/dev/null 2>&1; then
  DB=velora_smoke_$$
  psql -h 127.0.0.1 -U postgres -qc "create database $DB"
  docker run -d --name "$NAME-ro" --network host --read-only --tmpfs /tmp \
    -e NODE_ENV=production -e HOST=127.0.0.1 -e PORT="$PORT" -e DATA_DIR=/tmp/velora-data \
    -e DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" -e SIPPY_RPC_URL=http://127.0.0.1:9/xmlapi/xmlapi \
    -e AUTH_JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" -e SIPPY_HEALTH_STRICT=false "$IMAGE" >/dev/null
  ok=""
  for _ in $(seq 1 60); do
    if node -e "
      const get = (p) => fetch('http://127.0.0.1:$PORT' + p).then(async (r) => [r.status, await r.json()]);
      Promise.all([get('/api/health/ready'), get('/api/sippy/health')]).then(([[rs], [ls, lb]]) => {
        process.exit(rs === 200 && ls === 200 && lb.status === 'degraded' ? 0 : 1); }, () => process.exit(1));"; then ok=1; break; fi
    sleep 1
  done
  docker stop -t 60 "$NAME-ro" >/dev/null
  code=$(docker inspect --format '{{.State.ExitCode}}' "$NAME-ro")
  [ -n "$ok" ] || docker logs "$NAME-ro" 2>&1 | tail -20
  docker rm "$NAME-ro" >/dev/null
  psql -h 127.0.0.1 -U postgres -qc "drop database $DB with (force)"
  [ -n "$ok" ] || { echo "read-only production container: not ready, or the liveness endpoint was not 200 degraded"; exit 1; }
  [ "$code" = 0 ] || { echo "read-only production container: exit code $code"; exit 1; }
  log "read-only root filesystem + PostgreSQL: ready, liveness 200 degraded with the switch down, exit 0"
else
  log "no PostgreSQL on 127.0.0.1:5432: the read-only production run is skipped"
fi
log "smoke test passed"
