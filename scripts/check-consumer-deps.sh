#!/usr/bin/env bash
# Proves what a service resolves when it depends on this package: with only the core products,
# no NIO, Hummingbird or Vapor package, nor swift-docc-plugin (declared only for `make docs`);
# with the trait `Hummingbird`, Hummingbird and not Vapor; with the trait `Vapor`, Vapor and not
# Hummingbird; the SQLite store resolves no package;
# the trait `PostgreSQL` brings postgres-nio and no web framework; the trait `Metrics` brings
# swift-metrics and swift-log and nothing else. The consumer
# packages are written under .build-consumers/ and resolved (not built); their dependency trees
# are checked. Run by `make check-deps` and CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.build-consumers"
rm -rf "$work"
mkdir -p "$work"

consumer() { # name, traits clause, product
    mkdir -p "$work/$1/Sources/Consumer"
    cat > "$work/$1/Package.swift" <<SWIFT
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "$1",
    dependencies: [.package(path: "$root"$2)],
    targets: [.executableTarget(name: "Consumer", dependencies: [.product(name: "$3", package: "$(basename "$root")")])]
)
SWIFT
    echo 'print("consumer")' > "$work/$1/Sources/Consumer/main.swift"
    (cd "$work/$1" && swift package show-dependencies --format flatlist 2>/dev/null || swift package show-dependencies)
}

fail=0
# check PRODUCT TRAIT "REQUIRED PACKAGES" FORBIDDEN-REGEX: one consumer (with the trait, if
# any), resolved and checked; every required package must be there (exact name), and nothing
# may match the regex.
check() {
    local deps clause=${2:+", traits: [\"$2\"]"}
    deps=$(consumer "consumer-$(tr '[:upper:]' '[:lower:]' <<<"$1")" "$clause" "$1")
    echo "== a consumer of $1${2:+ with the trait $2} resolves:"; echo "$deps" | sort -u | tr "\n" " "; echo
    for package in $3; do
        grep -qx "$package" <<<"$deps" || { echo "FAIL: $1 did not bring in $package"; fail=1; }
    done
    if grep -qiE "$4" <<<"$deps"; then
        echo "FAIL: $1 pulls $(grep -iE "$4" <<<"$deps" | sort -u | tr "\n" " ")"; fail=1
    fi
}
check SessionToken "" "" "swift-nio|hummingbird|vapor|async-http-client|postgres-nio|swift-metrics|swift-log|swift-docc"
check SessionTokenHummingbird Hummingbird "hummingbird hummingbird-auth" "vapor"
check SessionTokenVapor Vapor "vapor" "hummingbird"
# The SQLite store uses the system's libsqlite3: no package at all beyond the core's.
check SessionTokenSQLite "" "" "swift-nio|postgres|sqlite-nio|grdb|hummingbird|vapor"
check SessionTokenMetrics Metrics "swift-metrics swift-log" "swift-nio|postgres|hummingbird|vapor"
check SessionTokenPostgres PostgreSQL "postgres-nio" "hummingbird|vapor$|^vapor"
[ $fail -eq 0 ] && echo "consumer dependencies: PASS"
exit $fail
