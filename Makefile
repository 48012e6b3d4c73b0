# Dossier: `make site` sets up, builds and renders the bundled briefing; `make test` runs
# every test. Both install what they need (idempotently) on a Debian machine with Swift.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libcmark-dev pkg-config libxml2-utils
SWIFT_BUILD_FLAGS ?=

.PHONY: site test build deps clean bench-templates

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build -c release $(SWIFT_BUILD_FLAGS)

site: build
	.build/release/dossier build --site .
	@echo "Open $(CURDIR)/Output/index.html (or serve Output/ with any static web server)."

test: deps
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	swift test --skip-build $(SWIFT_BUILD_FLAGS)

clean:
	rm -rf .build Output

# Renders the flagship article template 100,000 times and reports the time per render.
bench-templates: deps
	swift build -c release --product dossier-bench $(SWIFT_BUILD_FLAGS)
	.build/release/dossier-bench . 100000
