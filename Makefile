# The README's commands. Each installs what it needs: libsodium-dev and libsqlite3-dev (and
# pkg-config) through apt-get when pkg-config cannot find them.
SHELL := /bin/bash
SWIFT ?= swift

.PHONY: demo test build deps install

deps:
	@missing=""; \
	pkg-config --exists libsodium 2>/dev/null || missing="$$missing libsodium-dev"; \
	pkg-config --exists sqlite3 2>/dev/null || missing="$$missing libsqlite3-dev"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing and pkg-config with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing pkg-config; \
	  else \
	    echo "missing:$$missing. Install with: sudo apt-get update && sudo apt-get install -y$$missing pkg-config" >&2; \
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

# The CLI, built for release into its own folder and installed as $(DESTDIR)$(PREFIX)/bin/session-token.
PREFIX ?= /usr/local
install: deps
	$(SWIFT) build -c release --product session-token --scratch-path .build-release
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 .build-release/release/session-token "$(DESTDIR)$(PREFIX)/bin/session-token"

# The framework integrations, behind package traits: built in a scratch folder of their own (a
# trait changes every target's flags, so sharing .build would rebuild the core each time), and
# only their test targets run. FRAMEWORK_TRAITS picks the traits.
FRAMEWORK_TRAITS ?= Hummingbird,Vapor,PostgreSQL,Metrics,Configuration
FRAMEWORK_TESTS ?= SessionTokenHummingbirdTests|SessionTokenVaporTests|SessionTokenMetricsTests|SessionTokenConfigurationTests|DeviceBoundMetricsTests

.PHONY: test-frameworks check-deps
test-frameworks: deps
	$(SWIFT) build --build-tests --scratch-path .build-frameworks --traits $(FRAMEWORK_TRAITS)
	$(SWIFT) test --skip-build --scratch-path .build-frameworks --traits $(FRAMEWORK_TRAITS) \
	  --disable-swift-testing --filter '$(FRAMEWORK_TESTS)'

# The PostgreSQL revocation store against a real server: a throw-away cluster from Debian's
# packages on loopback (installed when missing), stopped and deleted at the end. Shares the
# framework build folder and traits, so after test-frameworks nothing is rebuilt.
.PHONY: test-postgres
test-postgres: deps
	$(SWIFT) build --build-tests --scratch-path .build-frameworks --traits $(FRAMEWORK_TRAITS)
	bash scripts/postgres-cluster.sh run -- $(SWIFT) test --skip-build --scratch-path .build-frameworks \
	  --traits $(FRAMEWORK_TRAITS) --disable-swift-testing --filter SessionTokenPostgresTests

# The product's sign-in service (Examples/SignInService), on http://127.0.0.1:$(PORT); data
# (revocations) under $(DATA). Stops on Ctrl-C or SIGTERM. NEXTAUTH_SECRET, SESSION_TOKEN_KEYS,
# DATABASE_URL, CSRF_SECRET and ORIGIN are read from the environment (see
# Sources/SessionTokenHummingbird/Docs.docc/SignInService.md).
# ANALYTICS=1 adds the optional analytics cookie and its banner choice (--analytics).
PORT ?= 8080
DATA ?= data
ANALYTICS ?=
.PHONY: example
example: deps
	cd Examples/SignInService && $(SWIFT) build --scratch-path .build
	cd Examples/SignInService && exec ./.build/debug/SignInService --port $(PORT) --data $(DATA) \
	  $(if $(filter 1,$(ANALYTICS)),--analytics)

# The sign-in service in a real browser: headless Chromium through Selenium (installs what it
# needs); screenshots in .build-e2e/screenshots/.
.PHONY: e2e
e2e: deps
	bash scripts/e2e.sh

# Proof under faults: three nodes of the sign-in service on loopback sharing a throw-away
# PostgreSQL, a driver that signs 200 users in, revokes sessions through different nodes,
# restarts PostgreSQL, kills a node with SIGKILL and replays stolen cookies (scripts/fleet.sh,
# Tests/Fleet/fleet.py). Builds the example in the folder make e2e uses. About 2 minutes once built.
.PHONY: test-fleet
test-fleet: deps
	bash scripts/fleet.sh

# Requests/s and p99 over HTTP (wrk on loopback; installs wrk when missing): the route behind
# this library's middleware against a bare route and the frameworks' own session middleware.
# PAIRS alternating pairs a comparison (10 by default); results in Benchmarks/results/http/.
.PHONY: bench-http
bench-http: deps
	bash Benchmarks/bench-http.sh

# The README's quick starts as a user runs them (scripts/quickstart.sh): Examples/QuickStart built
# as a consumer package, one product at a time in its own .build, a check that the Hummingbird
# product links no BoringSSL (QUICKSTART_ALLOW_BORINGSSL=1 reports without failing), then each
# server on a loopback port with a fresh key, driven with curl (installed when missing).
.PHONY: quickstart
quickstart: deps
	bash scripts/quickstart.sh

# What a consumer resolves: the core alone pulls no server package; a trait pulls its framework.
check-deps:
	bash scripts/check-consumer-deps.sh

# Coverage-guided fuzzing with libFuzzer and AddressSanitizer (leaks included). Each target runs
# FUZZ_SECONDS, or FUZZ_RUNS inputs when that is set (with FUZZ_SEED, a reproducible run: what CI
# does); new inputs go to .build-fuzz/corpus, crashes to .build-fuzz/crashes. Any crash, leak or
# sanitizer report fails the run. A crash becomes a regression input in Fuzz/corpus/.
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
FUZZ_SEED ?=
FUZZ_LIMIT = $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS)) $(if $(FUZZ_SEED),-seed=$(FUZZ_SEED))
FUZZ_TARGETS ?= open nextauth keyring claims cookie redirect dbsc

.PHONY: fuzz
fuzz: deps
	$(SWIFT) build --scratch-path .build-fuzz --product session-token-fuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	@mkdir -p .build-fuzz/crashes
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$t; \
	  echo "== fuzzing $$t ($(FUZZ_LIMIT))"; \
	  FUZZ_TARGET=$$t .build-fuzz/debug/session-token-fuzz $(FUZZ_LIMIT) -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix=.build-fuzz/crashes/$$t- -print_final_stats=1 \
	    .build-fuzz/corpus/$$t Fuzz/corpus/$$t 2>&1 | grep -E "^(#[0-9]+ +DONE|==[0-9]+==|SUMMARY|fuzz invariant|stat::number_of_executed_units|Done )" ; \
	  status=$${PIPESTATUS[0]}; \
	  if [ $$status -ne 0 ]; then echo "fuzz target $$t failed (exit $$status)"; exit 1; fi; \
	done

# After a long run: merge what .build-fuzz/corpus gathered into Fuzz/corpus/. libFuzzer adds
# only the smallest set of new inputs that covers what the committed ones do not; the committed
# inputs (seeds and crash regressions) all stay.
.PHONY: fuzz-merge
fuzz-merge:
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$t; \
	  FUZZ_TARGET=$$t .build-fuzz/debug/session-token-fuzz -merge=1 -rss_limit_mb=2048 \
	    Fuzz/corpus/$$t .build-fuzz/corpus/$$t 2>&1 | grep -E "^MERGE-OUTER: [0-9]+ new files|==[0-9]+==" ; \
	  echo "$$t: $$(ls Fuzz/corpus/$$t | wc -l) inputs in Fuzz/corpus/$$t"; \
	done

# The test suite under AddressSanitizer (leaks included) and the concurrency tests under
# ThreadSanitizer; any report fails the run.
TSAN_TESTS ?= ConcurrencyTests|KeyRingProviderTests|PropertyTests|FleetSimulationTests|RevocationServiceTests|SQLiteRevocationStoreTests

.PHONY: sanitize sanitize-address sanitize-thread
sanitize: sanitize-address sanitize-thread

sanitize-address: deps
	$(SWIFT) build --scratch-path .build-asan --sanitize=address --build-tests
	ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 LSAN_OPTIONS=suppressions=$(CURDIR)/Fuzz/lsan.supp PROPERTY_ITERATIONS=200 \
	  $(SWIFT) test --scratch-path .build-asan --sanitize=address --skip-build --disable-swift-testing

sanitize-thread: deps
	$(SWIFT) build --scratch-path .build-tsan --sanitize=thread --build-tests
	TSAN_OPTIONS=halt_on_error=1 PROPERTY_ITERATIONS=200 \
	  $(SWIFT) test --scratch-path .build-tsan --sanitize=thread --skip-build --disable-swift-testing --filter '$(TSAN_TESTS)'

# The dudect-style timing check (not a CI gate: shared machines are noisy).
.PHONY: ct-check
ct-check: deps
	$(SWIFT) build -c release --product session-token-ct
	.build/release/session-token-ct

# Benchmarks (a separate package under Benchmarks/, so library users never resolve its
# dependencies): the full suite, the short gated run, and the peer table (Python peers in a venv).
.PHONY: bench bench-check bench-peers
bench: deps
	Benchmarks/bench.sh

bench-check: deps
	Benchmarks/bench-check.sh

bench-peers: deps
	Benchmarks/peers/bench-peers.sh

# Cost curves against size, measured in one sitting (the Swift Curves group and the Python
# peers) and plotted with matplotlib in Benchmarks/plot/.venv (made on first use; python3-venv
# through apt-get when missing): PNGs into the SessionToken DocC catalog, figures in
# Benchmarks/results/curves/summary.md. About 5 minutes once the suite is built.
.PHONY: bench-plot
bench-plot: deps
	Benchmarks/plot/bench-plot.sh

# The DocC catalogs of every library product, built with swift-docc-plugin (declared only when
# SESSION_TOKEN_DOCS=1, so no consumer resolves it) and the framework traits on (their modules
# are empty otherwise), in .build-docs (DOCS_SCRATCH; CI passes .build-frameworks, which
# test-frameworks has built with the same traits, so that only this package's own modules are
# compiled again). Any DocC warning (a broken symbol or article link, an undocumented
# parameter) fails the run: --warnings-as-errors, and a grep of
# the output as a second guard (SwiftPM's own notes on dependencies, `warning: 'PACKAGE': ...`,
# are not DocC's). Archives in $(DOCS_SCRATCH)/plugins/Swift-DocC/outputs/.
DOC_PRODUCTS ?= SessionToken SessionTokenRevocation SessionTokenPasswords SessionTokenNextAuth SessionCookies SessionTokenHTTP \
  SessionTokenHummingbird SessionTokenVapor SessionTokenSQLite SessionTokenPostgres SessionTokenMetrics SessionTokenDeviceBound
.PHONY: docs
DOCS_SCRATCH ?= .build-docs
docs: deps
	@mkdir -p $(DOCS_SCRATCH)
	SESSION_TOKEN_DOCS=1 $(SWIFT) package --scratch-path $(DOCS_SCRATCH) --traits $(FRAMEWORK_TRAITS) \
	  generate-documentation $(foreach p,$(DOC_PRODUCTS),--product $(p)) --warnings-as-errors \
	  2>&1 | tee $(DOCS_SCRATCH)/docs.log; status=$${PIPESTATUS[0]}; \
	if grep -E "^(warning|error):|: (warning|error):" $(DOCS_SCRATCH)/docs.log | grep -qvE "^warning: '[^']+': "; then \
	  echo "make docs: DocC reported the warnings or errors above"; exit 1; fi; \
	exit $$status
