# The two commands of the README: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Debian packages the build links against or the tools use.
APT_PACKAGES := libzmq3-dev pkg-config libphonenumber-dev libicu-dev python3-pip curl strace openssl chromium chromium-driver postgresql kamailio kamailio-extra-modules kamailio-json-modules sip-tester
# How long `make fuzz` runs libFuzzer, in seconds.
FUZZ_SECONDS ?= 60
# Python packages the outside-client tests and the demo use (pinned in Tests/python/requirements.txt).
PIP_REQUIREMENTS := Tests/python/requirements.txt
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
SWIFT_FORMAT_PATHS := Package.swift Sources Tests
# The C programs of the outside benchmark (Tests/bench), built beside the release calls-bench, where it looks.
BENCH_PROGRAMS := calls-zmq-load calls-zmq-raw-router

.PHONY: help deps build test lint format run bench bench-programs bench-outside bench-group fuzz soak clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

deps: ## Install the Debian and Python packages the build and tests need, when missing
	@missing=""; \
	for package in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@python3 -c "import zmq, pytest, schemathesis, selenium, aiocometd_ng" 2>/dev/null || \
		python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r $(PIP_REQUIREMENTS)

build: deps ## Build every product (debug)
	swift build

lint: ## Check formatting against .swift-format
	swift format lint --strict --recursive $(SWIFT_FORMAT_PATHS)

format: ## Rewrite sources to .swift-format
	swift format format --in-place --recursive $(SWIFT_FORMAT_PATHS)

test: deps lint ## Build and run every test: Swift Testing, then the Python outside-client suite
	swift build --explicit-target-dependency-import-check error
	swift build --build-tests
	# One malloc arena: Foundation's Process.run() reads 256 bytes past glibc's /proc/self/fd buffer
	# (swift-corelibs-foundation PR 5472, not in Swift 6.3.1); a thread arena can end right there and
	# the test process crashed. The main arena always keeps slack above its top, so the read stays mapped.
	MALLOC_ARENA_MAX=1 swift test
	CALLS_BUS_BINARY=$(CURDIR)/.build/debug/calls-bus CALLS_GATEWAY_BINARY=$(CURDIR)/.build/debug/calls-gateway \
		CALLS_PROXY_BINARY=$(CURDIR)/.build/debug/calls-proxy \
		CALLS_KAMAILIO_BINARY=$(CURDIR)/.build/debug/calls-kamailio \
		python3 -m pytest -q Tests/python

run: deps ## Build and start the bus, the gateway, the demo directory and a gentle simulator on loopback
	swift build --product calls-bus
	swift build --product calls-gateway
	swift build --product calls
	@deploy/run-local.sh

bench-programs: deps ## Build calls-bench, calls-bus and calls-gateway (release) and the C load programs of Tests/bench beside them
	swift build -c release --product calls-bench
	swift build -c release --product calls-bus
	swift build -c release --product calls-gateway
	@for program in $(BENCH_PROGRAMS); do \
		echo "$(CC) Tests/bench/$$program.c -> .build/release/$$program"; \
		$(CC) -O2 -Wall -Wextra -o .build/release/$$program Tests/bench/$$program.c \
			$$(pkg-config --cflags --libs libzmq) -lpthread || exit 1; \
	done

bench: bench-programs ## Run every benchmark (release build, a temporary PostgreSQL server) and rewrite BENCHMARKS.md
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; }
	python3 Tests/bench/with_postgres.py \
		.build/release/calls-bench all --markdown BENCHMARKS.md --json .build/benchmarks.json
	swift build -c release --product calls-kamailio
	CALLS_BUS_BINARY=$(CURDIR)/.build/release/calls-bus CALLS_KAMAILIO_BINARY=$(CURDIR)/.build/release/calls-kamailio \
		python3 Tests/bench/kamailio_bench.py --markdown BENCHMARKS.md
	@echo "Wrote BENCHMARKS.md"

bench-outside: bench-programs ## Only calls.get on the calls-bus program beside a raw libzmq server, from a C load (stdout)
	.build/release/calls-bench outside

bench-group: bench-programs ## Only the group benchmarks: calls-bus on PostgreSQL beside SQLite, takeovers (temporary PostgreSQL, stdout)
	python3 Tests/bench/with_postgres.py .build/release/calls-bench group

fuzz: deps ## Fuzz the JSON reader and writer for FUZZ_SECONDS (60) seconds (release, libFuzzer, in .build-fuzz)
	swift build -c release --scratch-path .build-fuzz --product CallsJSONFuzz -Xswiftc -sanitize=fuzzer \
		-Xswiftc -DFUZZING -Xswiftc -enable-experimental-feature -Xswiftc Extern
	@mkdir -p .build-fuzz/artifacts
	@corpus=$$(mktemp -d) && cp Tests/fuzz/json-corpus/* "$$corpus" && \
	SWIFT_BACKTRACE=enable=no .build-fuzz/release/CallsJSONFuzz -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-dict=Tests/fuzz/json.dict -artifact_prefix=$(CURDIR)/.build-fuzz/artifacts/ "$$corpus"; \
	status=$$?; rm -rf "$$corpus"; exit $$status

soak: deps ## Failure tests that take minutes: bus outages under gateway load, a suspended subscriber
	swift build --product calls-bus
	swift build --product calls-gateway
	python3 Tests/soak/soak.py

clean: ## Remove build products
	rm -rf .build
