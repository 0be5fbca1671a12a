# The README's commands. Each installs what it needs: libsodium-dev (and pkg-config) through
# apt-get when pkg-config cannot find libsodium.
SWIFT ?= swift

.PHONY: demo test build deps

deps:
	@if ! pkg-config --exists libsodium 2>/dev/null; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing libsodium-dev and pkg-config with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsodium-dev pkg-config; \
	  else \
	    echo "libsodium is missing. Install it with: sudo apt-get update && sudo apt-get install -y libsodium-dev pkg-config" >&2; \
	    exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

demo: deps
	$(SWIFT) run session-token demo

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing
