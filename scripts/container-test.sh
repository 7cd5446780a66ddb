#!/usr/bin/env bash
# The container test: makes (or reuses) the Dockerfile's base image, then test/container builds
# the image from the Dockerfile and runs it as the README's Docker section says. CI runs this
# after `npm test` and it fails, never skips, when podman is missing.
#   --record   also write the measured figures to bench/container.json
set -euo pipefail
cd "$(dirname "$0")/.."

missing=""
for binary in podman runc; do
  command -v "$binary" >/dev/null || missing="$missing $binary"
done
if [ -n "$missing" ]; then
  echo "container test: missing$missing; apt-get install podman runc debootstrap (.ci/run does)" >&2
  exit 1
fi

# The engine settings this kind of machine needs (see the file), unless the caller has its own.
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/test/container/containers.conf}"

started=$SECONDS
bash scripts/container-base.sh
export HWCERT_CONTAINER_BASE_SECONDS=$((SECONDS - started))
if [ "${1:-}" = --record ]; then
  export HWCERT_CONTAINER_RESULTS="$PWD/bench/container.json"
fi
exec npx vitest run --config vitest.container.config.ts
