# hubwasm: `make demo` and `make test` are the two commands; both install what they need first.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
export PATH := $(HOME)/.cargo/bin:$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := $(shell command -v chromium 2>/dev/null || echo /usr/bin/chromium)
CHROMEDRIVER := $(shell command -v chromedriver 2>/dev/null || echo /usr/bin/chromedriver)

# wasm-bindgen-cli must be the exact version of the wasm-bindgen crate in Cargo.lock.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/"/, "", $$3); print $$3}' Cargo.lock)
WASM_TARGET := wasm32-unknown-unknown
NOSTD_TARGET := wasm32v1-none
WASM_OUT := target/$(WASM_TARGET)/release/hubwasm.wasm
WASM_MODULES := files commit hash api refs repos manage oauth info
WASM_ALL_MODULES := files,commit,hash,api,refs,repos,manage,oauth,info
WASM_TEST_ENV := CHROMEDRIVER=$(CHROMEDRIVER) WASM_BINDGEN_TEST_WEBDRIVER_JSON=$(ROOT)/webdriver.json WASM_BINDGEN_TEST_TIMEOUT=120

.PHONY: help deps deps-rust deps-chromium deps-node build build-wasm build-js hub-server hub-server-release \
        demo test lint test-rust test-wasm test-js test-conformance bench clean \
        deps-packaging test-packaging size

help:
	@echo "make demo   build everything, start the local Hub and run the main job against it"
	@echo "make test   every test (installs what is missing first)"
	@echo "make build  the wasm and the npm package in js/ (ready for npm pack)"

## ---- installing (idempotent; quick when everything is there) ----
deps: deps-rust deps-chromium deps-node

deps-rust:
	@for t in $(WASM_TARGET) $(NOSTD_TARGET); do \
	  rustup target list --installed | grep -qx "$$t" || rustup target add "$$t"; done
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (takes ~6 minutes once)"; \
	  cargo install wasm-bindgen-cli --version "=$(WASM_BINDGEN_VERSION)" --no-default-features --force; fi

deps-chromium:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver; fi

# npm ci only when the lock file changed since the last install.
deps-node: js/node_modules/.hubwasm-installed
js/node_modules/.hubwasm-installed: js/package-lock.json
	cd js && npm ci --no-audit --no-fund
	touch $@

# What the packaging tests run the packed tarball with: Vite, Wrangler (workerd), Deno, Bun.
deps-packaging: js/test/packaging/node_modules/.hubwasm-installed
js/test/packaging/node_modules/.hubwasm-installed: js/test/packaging/package-lock.json
	cd js/test/packaging && npm ci --no-audit --no-fund
	touch $@

## ---- building ----
build: deps-rust deps-node build-wasm build-js

# One .wasm per module (ARCHITECTURE.md, "Modules"): the shell built with that module's feature.
# wasm-opt -Oz (npm binaryen) trims 150-560 B gzip per module, trim-glue.mjs ~600 B of each glue
# (docs/boundary.md).
build-wasm: deps-node
	rm -rf js/wasm
	@set -e; for m in $(WASM_MODULES); do \
	  cargo rustc --lib --release --no-default-features --features standalone,$$m --target $(WASM_TARGET) --crate-type cdylib; \
	  wasm-bindgen --target web --omit-default-module-path --remove-name-section --remove-producers-section --out-dir js/wasm --out-name $$m $(WASM_OUT); \
	  js/node_modules/.bin/wasm-opt -Oz js/wasm/$${m}_bg.wasm -o js/wasm/$${m}_bg.wasm; \
	done
	node js/scripts/trim-glue.mjs $(foreach m,$(WASM_MODULES),js/wasm/$(m).js)

build-js:
	cd js && npm run --silent build

hub-server:
	cargo build -p hub-server

hub-server-release:
	cargo build --release -p hub-server

## ---- the two commands ----
# The demo runs the optimised local Hub so the timings it prints are about the client.
demo: build hub-server-release
	HUB_SERVER_BIN=$(ROOT)/target/release/hub-server node examples/demo.mjs

test: deps build hub-server lint test-rust test-wasm test-js test-conformance test-packaging size
	@echo "make test: all suites passed"

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --lib --tests --features $(WASM_ALL_MODULES) --target $(WASM_TARGET) -- -D warnings
	@set -e; for m in $(WASM_MODULES); do cargo clippy --lib --release --no-default-features --features standalone,$$m --target $(WASM_TARGET) -- -D warnings; done
	@# The core must build without std for a target that has none.
	cargo rustc --lib --no-default-features --target $(NOSTD_TARGET) --crate-type rlib
	cd js && npx tsc -p tsconfig.json --noEmit && npx tsc -p tsconfig.test.json --noEmit

test-rust:
	cargo test --workspace

test-wasm:
	cargo test --lib --features $(WASM_ALL_MODULES) --target $(WASM_TARGET)
	$(WASM_TEST_ENV) WASM_BINDGEN_USE_BROWSER=1 cargo test --lib --features $(WASM_ALL_MODULES) --target $(WASM_TARGET)

test-js:
	cd js && npm test

# The official clients (Python huggingface_hub, @huggingface/hub) against the local Hub, and
# hubwasm cross-checked with them; installs them itself (tests/conformance/setup.sh).
test-conformance:
	bash tests/conformance/run.sh

# `npm pack` of js/ installed into fixture projects (Vite build and dev in Chromium, a plain page,
# Web Workers, Node ESM and CommonJS, a Wrangler-bundled Worker in workerd, Deno, Bun).
test-packaging: deps-packaging hub-server
	node js/test/packaging/run.mjs

# Each module's size, and what each example page makes Chromium fetch (Vite builds of
# js/test/size/pages/, beside the same pages with @huggingface/hub); fails above a budget.
size: deps-packaging hub-server
	node js/scripts/size.mjs --check
	node js/test/size/pages.mjs --check

## ---- benchmarks (not part of make test; numbers are printed, never asserted) ----
bench: build hub-server-release
	cd bench && npm ci --no-audit --no-fund && node build-peers.mjs
	cd bench && node sha256-node.mjs
	cd bench && node sha256-browser.mjs
	cd bench && node sha256-ceiling.mjs
	cd bench && node blob-read-browser.mjs
	cd bench && HUB_SERVER_BIN=$(ROOT)/target/release/hub-server node download-node.mjs
	cd bench && HUB_SERVER_BIN=$(ROOT)/target/release/hub-server node download-browser.mjs
	cd bench && HUB_SERVER_BIN=$(ROOT)/target/release/hub-server node download-cost-browser.mjs
	cd bench && HUB_SERVER_BIN=$(ROOT)/target/release/hub-server node snapshot.mjs
	cd bench && HUB_SERVER_BIN=$(ROOT)/target/release/hub-server node commit-many.mjs
	cd bench && HUB_SERVER_BIN=$(ROOT)/target/release/hub-server node upload-large-node.mjs
	cd bench && HUB_SERVER_BIN=$(ROOT)/target/release/hub-server node upload-large-browser.mjs
	HUB_SERVER_BIN=$(ROOT)/target/release/hub-server bench/hub-throughput.sh 1024

clean:
	rm -rf target js/dist js/wasm js/test-dist
