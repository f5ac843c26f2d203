# The two commands of the README: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Debian packages the build links against or the tests use.
APT_PACKAGES := libzmq3-dev pkg-config libphonenumber-dev libicu-dev
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
SWIFT_FORMAT_PATHS := Package.swift Sources Tests

.PHONY: help deps build test lint format run bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

deps: ## Install the Debian packages the build needs, when missing
	@missing=""; \
	for package in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps ## Build every product (debug)
	swift build

lint: ## Check formatting against .swift-format
	swift format lint --strict --recursive $(SWIFT_FORMAT_PATHS)

format: ## Rewrite sources to .swift-format
	swift format format --in-place --recursive $(SWIFT_FORMAT_PATHS)

test: deps lint ## Build and run every test
	swift build --build-tests
	swift test

run: deps ## Build and start the system on loopback
	swift build
	@echo "The libraries build. The bus service and the gateway that 'make run' starts land with their issues;"
	@echo "until then there is nothing to start."

bench: deps ## Run the benchmarks
	@echo "No benchmarks yet: the domain and bus benchmarks land with their issues."

clean: ## Remove build products
	rm -rf .build
