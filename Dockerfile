# AssetTrack Kiosk container: the appliance and its JSON API, for evaluating on a laptop before flashing a box.
# BASE_IMAGE must provide Node 24 (and npm); where Docker Hub is unreachable, build a local base image first
# (the container issue adds a Make target for that).
ARG BASE_IMAGE=node:24-bookworm-slim

# Type-check the sources with the full dependency set; nothing from this stage ships except a marker.
FROM ${BASE_IMAGE} AS check
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY appliance appliance
COPY device device
COPY ui ui
COPY test test
RUN npx tsc -p tsconfig.json && node ui/build-client.ts && touch /src/.typechecked

# Production dependencies only (better-sqlite3 loads its prebuilt binary from the npm tarball).
FROM ${BASE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${BASE_IMAGE} AS runtime
WORKDIR /app
COPY --from=check /src/.typechecked /app/.typechecked
COPY --from=deps /app/node_modules node_modules
COPY package.json ./
COPY appliance appliance
# The kiosk screens render on the server from ui/; the browser bundle was built in the check stage.
COPY ui ui
COPY --from=check /src/build/ui build/ui
RUN groupadd --system assettrack \
 && useradd --system --gid assettrack --home-dir /var/lib/assettrack --shell /usr/sbin/nologin assettrack \
 && mkdir -p /var/lib/assettrack && chown assettrack:assettrack /var/lib/assettrack
ENV NODE_ENV=production \
    ASSETTRACK_DATA_DIR=/var/lib/assettrack \
    ASSETTRACK_HOST=0.0.0.0 \
    ASSETTRACK_PORT=8080 \
    NODE_COMPILE_CACHE=/var/lib/assettrack/.node-compile-cache
USER assettrack
VOLUME /var/lib/assettrack
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "appliance/cli/main.ts", "serve"]
