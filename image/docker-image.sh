#!/usr/bin/env bash
# The container image of the appliance (the Dockerfile at the top of the checkout) and, for machines that
# cannot reach Docker Hub, a local base image built only from Debian's archive and the npm registry.
#
#   image/docker-image.sh base [--force]   build the local base image (Debian bookworm minbase + Node + npm)
#   image/docker-image.sh pick-base        print the base image to build on; builds the local one when the
#                                          default cannot be found or pulled
#   image/docker-image.sh extra-ca         print the CA certificates the build stages must trust (see below)
#   image/docker-image.sh build [TAG]      build the appliance image and write its SBOM to build/sbom.cdx.json
#   image/docker-image.sh sbom             copy the SBOM out of $IMAGE (built when missing)
#
# Settings (environment): BASE_IMAGE (default node:24-bookworm-slim), LOCAL_BASE_IMAGE (default
# assettrack-base:bookworm-node24), IMAGE (default assettrack-kiosk:latest), DEBIAN_MIRROR (default
# http://deb.debian.org/debian), NODE_MAJOR (24), NPM_MAJOR (11), EXTRA_CA_DIR (default
# /usr/local/share/ca-certificates: locally added CAs, e.g. of a TLS-inspecting proxy in front of the npm
# registry; they are handed to the build stages only and never reach the runtime image).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

BASE_IMAGE=${BASE_IMAGE:-node:24-bookworm-slim}
LOCAL_BASE_IMAGE=${LOCAL_BASE_IMAGE:-assettrack-base:bookworm-node24}
IMAGE=${IMAGE:-assettrack-kiosk:latest}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
NODE_MAJOR=${NODE_MAJOR:-24}
NPM_MAJOR=${NPM_MAJOR:-11}
EXTRA_CA_DIR=${EXTRA_CA_DIR:-/usr/local/share/ca-certificates}
# The legacy builder is what every Docker engine and CLI here agree on (no buildx plugin needed).
export DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0}

log() { echo "docker-image: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Removes a work folder: first whatever debootstrap may have left mounted in it (proc, sys, bound /dev
# nodes), then the files, never crossing into another file system.
remove_work() {
  local dir=$1 mounts
  mounts=$(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  [ -z "$mounts" ] || echo "$mounts" | xargs -r -n1 umount -l
  rm -rf --one-file-system "$dir"
}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

engine() {
  need docker
  docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info failed): start dockerd first"
}

need() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd is not installed"
  done
}

# Node's and Debian's names for the machine's architecture.
node_arch() {
  case "$(uname -m)" in
    x86_64) echo x64 ;;
    aarch64) echo arm64 ;;
    *) die "no Node build on the npm registry for $(uname -m)" ;;
  esac
}

# Debian bookworm (minbase) with ca-certificates and passwd (useradd), plus Node and npm from the npm
# registry, imported as an image. Nothing is downloaded from anywhere else.
build_base() {
  local force=${1:-}
  if [ "$force" != "--force" ] && have_image "$LOCAL_BASE_IMAGE"; then
    log "$LOCAL_BASE_IMAGE is already built (image/docker-image.sh base --force rebuilds it)"
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "building the base image needs root (debootstrap)"
  need debootstrap npm tar
  engine
  local started work arch node_version npm_version
  started=$(date +%s)
  arch=$(node_arch)
  work=$(mktemp -d "${TMPDIR:-/var/tmp}/assettrack-base.XXXXXX")
  # shellcheck disable=SC2064 # expand $work now: it is local to this function
  trap "remove_work '$work'" EXIT

  log "debootstrap --variant=minbase bookworm from $DEBIAN_MIRROR"
  debootstrap --variant=minbase --include=ca-certificates,passwd bookworm "$work/rootfs" "$DEBIAN_MIRROR" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

  log "npm pack node-linux-$arch@$NODE_MAJOR npm@$NPM_MAJOR"
  mkdir -p "$work/pack" "$work/node"
  (cd "$work/pack" && npm pack --silent "node-linux-$arch@$NODE_MAJOR" "npm@$NPM_MAJOR" >/dev/null)
  tar -xzf "$work"/pack/node-linux-"$arch"-*.tgz -C "$work/node" --strip-components=1
  [ -x "$work/node/bin/node" ] || die "the node-linux-$arch tarball has no bin/node"
  install -m 0755 "$work/node/bin/node" "$work/rootfs/usr/local/bin/node"
  # Headers, so node-gyp builds native modules without downloading them (npm_config_nodedir=/usr/local);
  # OpenSSL's configuration headers only for this machine (the tarball carries 20 platforms, 60 MB).
  cp -a "$work/node/include" "$work/rootfs/usr/local/"
  find "$work/rootfs/usr/local/include/node/openssl/archs" -mindepth 1 -maxdepth 1 \
    ! -name "linux-$(uname -m)" -exec rm -rf {} +
  mkdir -p "$work/rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$work"/pack/npm-*.tgz -C "$work/rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"

  node_version=$(chroot "$work/rootfs" /usr/local/bin/node --version)
  npm_version=$(chroot "$work/rootfs" /usr/local/bin/node /usr/local/lib/node_modules/npm/bin/npm-cli.js --version)
  log "Node $node_version, npm $npm_version"

  # What an image does not need: package lists (apt-get update fetches them again), the downloaded .debs,
  # manuals and translations (the copyright files in /usr/share/doc stay).
  rm -rf "$work"/rootfs/var/lib/apt/lists/* "$work"/rootfs/var/cache/apt/*.bin \
    "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/usr/share/man/* "$work"/rootfs/usr/share/info/* \
    "$work"/rootfs/usr/share/locale/* "$work"/rootfs/var/log/*.log
  tar --numeric-owner -C "$work/rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=${node_version#v}" \
    --change "LABEL org.opencontainers.image.description=\"Debian bookworm minbase, Node $node_version, npm $npm_version (built by image/docker-image.sh)\"" \
    --change 'CMD ["node"]' \
    --message "debootstrap bookworm + node-linux-$arch@$NODE_MAJOR + npm@$NPM_MAJOR from the npm registry" \
    - "$LOCAL_BASE_IMAGE" >/dev/null
  remove_work "$work"
  trap - EXIT
  log "built $LOCAL_BASE_IMAGE in $(($(date +%s) - started)) s"
}

# The default base when it is here or can be pulled; otherwise the local one (built if missing).
pick_base() {
  engine
  if have_image "$BASE_IMAGE"; then
    echo "$BASE_IMAGE"
    return 0
  fi
  if [ "$BASE_IMAGE" != "$LOCAL_BASE_IMAGE" ]; then
    log "pulling $BASE_IMAGE"
    if timeout 300 docker pull -q "$BASE_IMAGE" >/dev/null 2>&1; then
      echo "$BASE_IMAGE"
      return 0
    fi
    log "$BASE_IMAGE cannot be pulled: using the local base image $LOCAL_BASE_IMAGE"
  fi
  build_base >&2
  echo "$LOCAL_BASE_IMAGE"
}

extra_ca() {
  local f
  [ -d "$EXTRA_CA_DIR" ] || return 0
  for f in "$EXTRA_CA_DIR"/*.crt "$EXTRA_CA_DIR"/*/*.crt; do
    [ -f "$f" ] && cat "$f"
  done
  return 0
}

build_image() {
  local tag=${1:-$IMAGE} base started
  engine
  base=$(pick_base)
  started=$(date +%s)
  log "docker build -t $tag (BASE_IMAGE=$base)"
  docker build --build-arg "BASE_IMAGE=$base" --build-arg "EXTRA_CA_CERTS=$(extra_ca)" \
    -t "$tag" "$root"
  log "built $tag in $(($(date +%s) - started)) s"
  copy_sbom "$tag"
}

# The CycloneDX SBOM the build wrote into the image (/app/sbom.cdx.json), copied to build/sbom.cdx.json.
copy_sbom() {
  local tag=$1 container
  container=$(docker create "$tag")
  mkdir -p "$root/build"
  docker cp "$container:/app/sbom.cdx.json" "$root/build/sbom.cdx.json" >/dev/null
  docker rm -v "$container" >/dev/null
  log "SBOM of the runtime image's Node dependencies: build/sbom.cdx.json (also /app/sbom.cdx.json in the image)"
}

sbom() {
  engine
  if have_image "$IMAGE"; then copy_sbom "$IMAGE"; else build_image "$IMAGE"; fi
}

case "${1:-}" in
  base) build_base "${2:-}" ;;
  pick-base) pick_base ;;
  extra-ca) extra_ca ;;
  build) build_image "${2:-}" ;;
  sbom) sbom ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
