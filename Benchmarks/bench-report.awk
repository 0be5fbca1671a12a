# Reads package-benchmark's influx CSV export (`--format influx`) and prints the per-operation
# table and the ratio targets of issue 6, each with PASS/FAIL. Exits 1 when a target is missed.
#
#   awk -F, -v batch=1000 -v cbatch=8192 -f bench-report.awk results/check/Current_run.influx.csv
#
# Columns: measurement(target),host,cpu,processors,memory,kernel,metric,unit,test,percentile,value,...
# Per-operation benchmarks run `batch` operations per sample (Suite.perOpBatch), so their raw
# values are divided by it; the Concurrency batches (`cbatch` opens per sample,
# spread over the threads) are compared as whole samples and shown per operation.
BEGIN { if (batch == "") batch = 1000; if (cbatch == "") cbatch = 8192; missing = 0 }
$10 == "50.0" {
    if ($7 == "Time(wallclock)") { p50[$9] = $11; target[$9] = $1; n[$9] = $13 }
    else if ($7 == "Malloc(total)") { mallocs[$9] = $11 }
}
function have(t) { if (!(t in p50)) { printf "  MISSING benchmark result: %s\n", t; missing++; return 0 } return 1 }
function ns(t) { return p50[t] / batch }
function allocs(t) { return (t in mallocs) ? mallocs[t] / batch : -1 }
function check(label, value, op, limit, unit,   ok, verdict) {
    ok = (op == "<=") ? (value <= limit) : (value >= limit)
    verdict = ok ? "PASS" : "FAIL"
    # timing=report (CI on shared machines): wall-clock ratios are printed, not gated; malloc
    # counts and the length-check target stay gated.
    if (!ok && timing == "report" && unit == "x") { verdict = "MISS (reported, not gated)"; missed++ }
    else if (!ok) failed++
    printf "  %-58s %10.2f%s  target %s %-6s  %s\n", label, value, unit, op, limit unit, verdict
    total++
}
function info(label, value, unit) { printf "  %-58s %10.2f%s  (info)\n", label, value, unit }
END {
    printf "Per operation, p50 wall clock (%d operations per sample; batches per sample):\n", batch
    printf "  %-12s %-40s %12s %10s %10s %8s\n", "group", "benchmark", "p50 ns/op", "ops/s", "mallocs/op", "samples"
    cmd = "sort"
    for (t in p50) {
        if (target[t] == "Concurrency") {
            line = sprintf("  %-12s %-40s %12.1f %10.0f %10s %8d", target[t], t " (/op in batch)", p50[t] / cbatch, \
                1e9 * cbatch / p50[t], "-", n[t])
        } else {
            line = sprintf("  %-12s %-40s %12.1f %10.0f %10s %8d", target[t], t, ns(t), 1e9 / ns(t), \
                (t in mallocs) ? sprintf("%.1f", allocs(t)) : "-", n[t])
        }
        print line | cmd
    }
    close(cmd)
    print ""
    print "Ratio targets (issue 6), p50 inside this run:"
    open1 = "open 1-key ring"; open8 = "open 8-key ring"; seal = "seal"
    dec = "raw xchacha20poly1305 decrypt"; enc = "raw xchacha20poly1305 encrypt+nonce"
    if (have(open1) && have(dec)) check("open (1-key ring) / raw XChaCha20-Poly1305 decrypt", ns(open1) / ns(dec), "<=", 1.5, "x")
    if (have(open8) && have(dec)) check("open (8-key ring) / raw XChaCha20-Poly1305 decrypt", ns(open8) / ns(dec), "<=", 1.5, "x")
    if (have(seal) && have(enc)) check("seal / raw encrypt + 24-byte nonce", ns(seal) / ns(enc), "<=", 1.5, "x")
    jwt = "jwt-kit HS256 verify"
    if (peers == "skip") print "  jwt-kit HS256 verify / open: the Peers group is not run here (make bench runs it)"
    else if (have(jwt) && have(open1)) check("jwt-kit HS256 verify / open (speed-up of open)", ns(jwt) / ns(open1), ">=", 10, "x")
    if (have(open1)) check("mallocs per open (1-key ring)", allocs(open1), "<=", 4, "")
    if (have(open8)) check("mallocs per open (8-key ring)", allocs(open8), "<=", 4, "")
    if (have(seal)) check("mallocs per seal", allocs(seal), "<=", 4, "")
    split("reject bad tag|reject unknown kid|reject malformed base64|reject garbage 4096", rejects, "|")
    for (i = 1; i <= 4; i++) {
        r = rejects[i]
        if (have(r) && have(open1)) check(r " / open", ns(r) / ns(open1), "<=", 1.0, "x")
    }
    g = "reject garbage 4097"
    if (have(g) && have(open1)) {
        # Refused on its length alone: a small fraction of an open, and nothing allocated.
        check(g " / open (length check only)", ns(g) / ns(open1), "<=", 0.1, "x")
        check(g ": mallocs", allocs(g), "<=", 0, "")
    }
    c1 = "open batch 1 thread"; c2 = "open batch 2 threads"
    if (have(c1) && have(c2)) check("2 threads / 1 thread open throughput", p50[c1] / p50[c2], ">=", 1.8, "x")
    print ""
    print "For reference (not gated):"
    d1 = "raw decrypt batch 1 thread"; d2 = "raw decrypt batch 2 threads"
    if ((d1 in p50) && (d2 in p50)) info("2 threads / 1 thread raw decrypt throughput (the machine)", p50[d1] / p50[d2], "x")
    f = "reject forged 4096"
    if ((f in p50) && (open1 in p50)) info(f " (well-formed, must be MACed) / open", ns(f) / ns(open1), "x")
    rf = "refresh re-issue"
    if ((rf in p50) && (open1 in p50) && (seal in p50)) info(rf " / (open + seal)", ns(rf) / (ns(open1) + ns(seal)), "x")
    if ((rf in mallocs)) info("mallocs per refresh re-issue", allocs(rf), "")
    j = "foundation JSONDecoder claims"
    if ((j in p50) && (open1 in p50)) info("Foundation JSONDecoder of the claims / open", ns(j) / ns(open1), "x")
    rb = "raw randombytes_buf 24"
    if ((rb in p50) && (enc in p50)) info("nonce share of raw encrypt+nonce", ns(rb) / ns(enc), "")
    js = "jwt-kit HS256 sign"
    if ((js in p50) && (seal in p50)) info("jwt-kit HS256 sign / seal", ns(js) / ns(seal), "x")
    print ""
    if (missing > 0) { printf "%d benchmark result(s) missing: FAIL\n", missing; exit 1 }
    if (missed > 0) printf "%d wall-clock target(s) missed, reported only (timing=report)\n", missed
    printf "%d of %d targets met; gate: %s\n", total - failed - missed, total, failed ? "FAIL" : "PASS"
    exit failed ? 1 : 0
}
