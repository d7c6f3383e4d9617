# AssetTrack Kiosk container: the appliance and its JSON API, for evaluating on a laptop before flashing a box.
#
#   make docker        # builds assettrack-kiosk:latest, and writes build/sbom.cdx.json
#
# BASE_IMAGE must be Debian bookworm with Node 24 and npm in /usr/local (what node:24-bookworm-slim is).
# Where Docker Hub cannot be reached, `make base-image` (image/docker-image.sh base) builds such an image
# from Debian's archive and the npm registry only, and `make docker` uses it by itself.
ARG BASE_IMAGE=node:24-bookworm-slim

# ---- deps: every dependency, native modules built for this Node.
FROM ${BASE_IMAGE} AS deps
# CA certificates (PEM) the npm registry's TLS chain needs beyond Node's own, e.g. those of a
# TLS-inspecting proxy (image/docker-image.sh passes the build machine's /usr/local/share/ca-certificates).
# Build stages only: nothing of it reaches the runtime image.
ARG EXTRA_CA_CERTS=""
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
# epoll (onoff's GPIO binding) is compiled; better-sqlite3, serialport and node-hid load prebuilt binaries
# from their npm tarballs. The compiler stays in this stage; node-gyp uses this Node's headers (nodedir)
# instead of downloading them.
RUN if ! command -v g++ >/dev/null || ! command -v make >/dev/null || ! command -v python3 >/dev/null; then \
      apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends g++ make python3 >/dev/null \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# (npm sbom names the application after this folder.)
WORKDIR /build/assettrack-kiosk
COPY package.json package-lock.json ./
RUN if [ -n "$EXTRA_CA_CERTS" ]; then \
      printf '%s\n' "$EXTRA_CA_CERTS" > /tmp/extra-ca.pem && export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; \
    fi \
 && npm_config_nodedir=/usr/local npm ci \
 && rm -f /tmp/extra-ca.pem

# ---- check: type-check what ships (image/tsconfig.container.json: appliance/, device/, ui/; `npm test`
# type-checks test/ too) and build the kiosk's browser bundle.
FROM deps AS check
COPY tsconfig.json ./
COPY image/tsconfig.container.json image/
COPY appliance appliance
COPY device device
COPY ui ui
RUN npx tsc -p image/tsconfig.container.json && node ui/build-client.ts

# ---- prod: production dependencies only, and their CycloneDX SBOM (the runtime image's /app/sbom.cdx.json).
FROM deps AS prod
RUN npm sbom --sbom-format cyclonedx --sbom-type application --omit dev > sbom.cdx.json \
 && npm prune --omit=dev

# ---- runtime: Node, production dependencies and the sources (Node 24 runs the TypeScript as is).
FROM ${BASE_IMAGE} AS runtime
WORKDIR /app
COPY --from=prod /build/assettrack-kiosk/node_modules node_modules
COPY --from=prod /build/assettrack-kiosk/sbom.cdx.json sbom.cdx.json
COPY package.json ./
COPY appliance appliance
COPY device device
# The kiosk screens render on the server from ui/; the browser bundle comes from the check stage.
COPY ui ui
COPY --from=check /build/assettrack-kiosk/build/ui build/ui
# The files above stay root's: the service writes only to its data volume.
# A fixed uid/gid (10001), so a bind-mounted data folder can be given to it (chown 10001:10001 DIR).
RUN groupadd --gid 10001 assettrack \
 && useradd --uid 10001 --gid assettrack --no-create-home --home-dir /var/lib/assettrack --shell /usr/sbin/nologin assettrack \
 && mkdir -p /var/lib/assettrack && chown assettrack:assettrack /var/lib/assettrack
# In a container the kiosk browser is not on the same box: listen on every interface (docker publishes it).
# No OPN-2004 cradle in a container (nor udev to find one): ASSETTRACK_CRADLE=1 with --device and
# ASSETTRACK_CRADLE_PORT turns it on.
ENV NODE_ENV=production \
    ASSETTRACK_DATA_DIR=/var/lib/assettrack \
    ASSETTRACK_HOST=0.0.0.0 \
    ASSETTRACK_PORT=8080 \
    ASSETTRACK_CRADLE=0 \
    NODE_COMPILE_CACHE=/var/lib/assettrack/.node-compile-cache
USER assettrack
VOLUME /var/lib/assettrack
EXPOSE 8080
# /healthz answers 200 with the store, chain head and device status while the store answers.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "appliance/cli/main.ts", "serve"]
