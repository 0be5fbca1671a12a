#!/usr/bin/env bash
# Proves what a service resolves when it depends on this package: with only the core products,
# no NIO, Hummingbird, Vapor or service-lifecycle package, nor swift-docc-plugin (declared only
# for `make docs`); with the trait `ServiceLifecycle`, swift-service-lifecycle and no server;
# with the trait `Hummingbird`, Hummingbird and not Vapor; with the trait `Vapor`, Vapor and not
# Hummingbird; the SQLite store resolves no package;
# the trait `PostgreSQL` brings postgres-nio and no web framework; the trait `Metrics` brings
# swift-metrics and swift-log and nothing else; SessionTokenDeviceBound brings swift-crypto and
# swift-http-structured-headers and no server. The consumer
# packages are written under .build-consumers/ and resolved (not built); their dependency trees
# are checked. Then one consumer of SessionToken and SessionTokenHTTP is built, and each way
# of constructing a verified result outside the library must fail to compile. Run by
# `make check-deps` and CI.
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
check SessionToken "" "" "swift-nio|hummingbird|vapor|async-http-client|postgres-nio|swift-metrics|swift-log|swift-service-lifecycle|swift-docc"
# The Service conformances: swift-service-lifecycle (with swift-log and swift-async-algorithms), no server.
check SessionToken ServiceLifecycle "swift-service-lifecycle" "swift-nio|hummingbird|vapor|postgres-nio|swift-metrics"
# Key rings from swift-configuration: it and its own dependencies, no server.
check SessionToken Configuration "swift-configuration swift-service-lifecycle" "swift-nio|hummingbird|vapor|postgres-nio"
check SessionTokenHummingbird Hummingbird "hummingbird hummingbird-auth" "vapor"
check SessionTokenVapor Vapor "vapor" "hummingbird"
# The SQLite store uses the system's libsqlite3: no package at all beyond the core's.
check SessionTokenSQLite "" "" "swift-nio|postgres|sqlite-nio|grdb|hummingbird|vapor"
check SessionTokenMetrics Metrics "swift-metrics swift-log" "swift-nio|postgres|hummingbird|vapor"
check SessionTokenPostgres PostgreSQL "postgres-nio" "hummingbird|vapor$|^vapor"
# Device-bound sessions: swift-crypto for the browsers' signatures, structured headers for the
# DBSC fields, and no server package.
check SessionTokenDeviceBound "" "swift-crypto swift-http-structured-headers" "swift-nio|hummingbird|vapor|postgres-nio|swift-metrics"

# Verified results come only out of verification: a consumer that builds one itself must not
# compile. One consumer of SessionToken and SessionTokenHTTP is built once; then each attempt
# replaces its main.swift, and must fail with the access error (not any other error).
forge="$work/consumer-forge"
mkdir -p "$forge/Sources/Consumer"
cat > "$forge/Package.swift" <<SWIFT
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "consumer-forge",
    dependencies: [.package(path: "$root")],
    targets: [.executableTarget(name: "Consumer", dependencies: [
        .product(name: "SessionToken", package: "$(basename "$root")"),
        .product(name: "SessionTokenHTTP", package: "$(basename "$root")"),
    ])]
)
SWIFT
prelude='import Foundation
import SessionToken
import SessionTokenHTTP
let now = Date()'
printf '%s\nprint(SessionTokenFormat.native.defaultPolicy.session.name)\n' "$prelude" > "$forge/Sources/Consumer/main.swift"
echo "== a consumer of SessionToken and SessionTokenHTTP builds"
if ! (cd "$forge" && swift build 2>&1 | tail -3); then echo "FAIL: the forge consumer does not build"; fail=1; fi
forgeries=(
    'let claims = SessionClaims(subject: "admin", issuedAt: now, expiresAt: now.addingTimeInterval(3600))'
    'func forge(_ claims: SessionClaims) -> VerifiedSession { VerifiedSession(claims: claims, keyID: "k1", isPrimaryKey: true, needsReissue: false) }'
    'func forge(_ session: VerifiedSession) -> RefreshedSession { RefreshedSession(session: session, replacement: nil) }'
    'func forge(_ session: VerifiedSession) -> SealedSession { SealedSession(token: "x", session: session) }'
    'func forge(_ session: VerifiedSession) -> OpenedSession? { OpenedSession(session) }'
)
for forgery in "${forgeries[@]}"; do
    printf '%s\n%s\n' "$prelude" "$forgery" > "$forge/Sources/Consumer/main.swift"
    output=$(cd "$forge" && swift build 2>&1) && { echo "FAIL: a consumer compiled: $forgery"; fail=1; continue; }
    if grep -qE "inaccessible due to 'package' protection level|is inaccessible|cannot be constructed because it has no accessible initializers|no accessible initializers" <<<"$output"; then
        echo "refused as it must be: $forgery"
    else
        echo "FAIL: $forgery failed for another reason:"; grep -E "error:" <<<"$output" | head -5; fail=1
    fi
done

[ $fail -eq 0 ] && echo "consumer dependencies: PASS"
exit $fail
