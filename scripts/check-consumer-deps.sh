#!/usr/bin/env bash
# Proves what a service resolves when it depends on this package: with only the core products,
# no NIO, Hummingbird or Vapor package; with the trait `Hummingbird`, Hummingbird and not Vapor;
# with the trait `Vapor`, Vapor and not Hummingbird; the SQLite store resolves no package;
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
core=$(consumer consumer-core "" SessionToken)
echo "== a consumer of SessionToken resolves:"; echo "$core" | sort -u | tr "\n" " "; echo
if grep -qiE "swift-nio|hummingbird|vapor|async-http-client" <<<"$core"; then
    echo "FAIL: the core pulls a server package"; fail=1
fi
framework=$(consumer consumer-hummingbird ', traits: ["Hummingbird"]' SessionTokenHummingbird)
echo "== a consumer of SessionTokenHummingbird with the trait Hummingbird resolves:"
echo "$framework" | sort -u | tr "\n" " "; echo
if ! grep -qi "hummingbird-auth" <<<"$framework"; then
    echo "FAIL: the trait did not bring in hummingbird-auth"; fail=1
fi
if grep -qi "vapor" <<<"$framework"; then
    echo "FAIL: the Hummingbird trait pulls Vapor"; fail=1
fi
vapor=$(consumer consumer-vapor ', traits: ["Vapor"]' SessionTokenVapor)
echo "== a consumer of SessionTokenVapor with the trait Vapor resolves:"
echo "$vapor" | sort -u | tr "\n" " "; echo
if ! grep -qx "vapor" <<<"$vapor"; then
    echo "FAIL: the trait did not bring in Vapor"; fail=1
fi
if grep -qi "hummingbird" <<<"$vapor"; then
    echo "FAIL: the Vapor trait pulls Hummingbird"; fail=1
fi
sqlite=$(consumer consumer-sqlite "" SessionTokenSQLite)
echo "== a consumer of SessionTokenSQLite resolves:"; echo "$sqlite" | sort -u | tr "\n" " "; echo
if grep -qiE "swift-nio|postgres|sqlite-nio|grdb|hummingbird|vapor" <<<"$sqlite"; then
    echo "FAIL: the SQLite store pulls a package (it uses the system's libsqlite3)"; fail=1
fi
if grep -qiE "postgres-nio|swift-metrics|swift-log" <<<"$core"; then
    echo "FAIL: the core pulls postgres-nio, swift-metrics or swift-log"; fail=1
fi
metrics=$(consumer consumer-metrics ', traits: ["Metrics"]' SessionTokenMetrics)
echo "== a consumer of SessionTokenMetrics with the trait Metrics resolves:"
echo "$metrics" | sort -u | tr "\n" " "; echo
if ! grep -qx "swift-metrics" <<<"$metrics" || ! grep -qx "swift-log" <<<"$metrics"; then
    echo "FAIL: the trait did not bring in swift-metrics and swift-log"; fail=1
fi
if grep -qiE "swift-nio|postgres|hummingbird|vapor" <<<"$metrics"; then
    echo "FAIL: the Metrics trait pulls a server package"; fail=1
fi
postgres=$(consumer consumer-postgres ', traits: ["PostgreSQL"]' SessionTokenPostgres)
echo "== a consumer of SessionTokenPostgres with the trait PostgreSQL resolves:"
echo "$postgres" | sort -u | tr "\n" " "; echo
if ! grep -qx "postgres-nio" <<<"$postgres"; then
    echo "FAIL: the trait did not bring in postgres-nio"; fail=1
fi
if grep -qiE "hummingbird|vapor$|^vapor" <<<"$postgres"; then
    echo "FAIL: the PostgreSQL trait pulls a web framework"; fail=1
fi
[ $fail -eq 0 ] && echo "consumer dependencies: PASS"
exit $fail
