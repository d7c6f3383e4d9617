# AssetTrack Kiosk. Everything runs on the project's own Node 24 (fetched from the npm registry into
# .tools/node) unless the machine's node is already 24 or newer.
SHELL := /bin/bash
NODE_MAJOR := 24
NODE_DIR := $(CURDIR)/.tools/node
ARCH := $(shell uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')
export PATH := $(NODE_DIR)/bin:$(PATH)
# node-gyp must never download headers: point it at the ones inside the Node tarball.
export npm_config_nodedir := $(NODE_DIR)

.PHONY: install node run test bench typecheck clean docker base-image sbom audit

install: node node_modules/.installed

node: $(NODE_DIR)/bin/node

$(NODE_DIR)/bin/node:
	@set -e; if command -v node >/dev/null && [ "$$(node -p 'process.versions.node.split(".")[0]')" -ge $(NODE_MAJOR) ] \
	  && [ "$$(command -v node)" != "$(NODE_DIR)/bin/node" ]; then \
	  sys=$$(command -v node); mkdir -p $(NODE_DIR)/bin; ln -sf "$$sys" $(NODE_DIR)/bin/node; \
	  ln -sfn "$$(dirname "$$(dirname "$$(readlink -f "$$sys")")")/include" $(NODE_DIR)/include; \
	  echo "Using the machine's Node $$(node --version)"; \
	else \
	  tmp=$$(mktemp -d); (cd $$tmp && npm pack --silent node-linux-$(ARCH)@$(NODE_MAJOR) >/dev/null); \
	  mkdir -p $(NODE_DIR); tar -xzf $$tmp/node-linux-$(ARCH)-*.tgz -C $(NODE_DIR) --strip-components=1; rm -rf $$tmp; \
	  echo "Installed Node $$($(NODE_DIR)/bin/node --version) into .tools/node"; \
	fi

node_modules/.installed: package.json package-lock.json | node
	npm ci --no-audit --no-fund
	@touch $@

# Without hardware, `make run` simulates the cradle and shows the developer panel (never on the Pi image).
run: install
	ASSETTRACK_SIMULATE=$${ASSETTRACK_SIMULATE:-1} node appliance/cli/main.ts serve --offer-demo

test: install
	npm test

bench: install
	npm run bench

typecheck: install
	npm run typecheck

# The container image (Dockerfile) as $(IMAGE), with its SBOM in build/sbom.cdx.json. It builds on
# node:24-bookworm-slim when that can be pulled, else on a local base image made from Debian's archive and
# the npm registry (`make base-image`, built by `make docker` when needed; needs root and debootstrap).
IMAGE ?= assettrack-kiosk:latest
docker: node
	IMAGE=$(IMAGE) bash image/docker-image.sh build

base-image: node
	bash image/docker-image.sh base

# The CycloneDX SBOM of the image's Node dependencies, copied out of $(IMAGE) (built when missing).
sbom: node
	IMAGE=$(IMAGE) bash image/docker-image.sh sbom

# npm audit --omit=dev: fails on a high or critical advisory that docs/security.md does not explain.
audit: node
	node .ci/npm-audit.mjs

# The Raspberry Pi image (image/README.md): build/assettrack-arm64.img and its .sha256, as root, from Debian's
# archive and the npm registry. `make image-test` boots it under QEMU (test/image/image-boot.e2e.spec.ts).
.PHONY: image image-test
image: install
	bash image/build.sh

image-test: install
	@[ -f build/assettrack-arm64.img ] || $(MAKE) image
	bash image/build.sh host-packages
	ASSETTRACK_IMAGE_TEST=1 npx vitest run --config test/vitest.config.ts \
	  --outputFile.json=test-artifacts/image-test/vitest-report.json test/image/image-boot.e2e.spec.ts

clean:
	rm -rf node_modules .tools data test-artifacts bench-report.json
