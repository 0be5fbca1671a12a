#!/usr/bin/env python3
"""How a password-guessing flood affects the sign-in service's other routes (issue 28, item 5).

Starts Examples/SignInService (built: make example, or make e2e) on a free loopback port with
--behind-proxy, then measures GET /cookies latency over one keep-alive connection:

  idle         nothing else running;
  distributed  CLIENTS threads post wrong passwords, each from a new X-Forwarded-For address and
               for a new e-mail, so the sign-in limits never apply: what is left is the bounded
               password-check pool (2 threads, 8 waiting, 503 beyond);
  one address  the same threads without X-Forwarded-For: after 20 failures the address gets 429.

Idle is measured again before each flood. The guessing clients are processes, so that they never
hold the measuring process's interpreter lock. Loopback only; each phase is bounded in time
(--seconds) and in requests. Standard library only.

    python3 scripts/signin-flood.py [--clients 8] [--samples 200] [--seconds 30] [--release]
"""
import argparse
import http.client
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "Examples", "SignInService", ".build")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(binary, port, data):
    log = open(os.path.join(data, "server.log"), "w")
    process = subprocess.Popen([binary, "--port", str(port), "--data", data, "--behind-proxy"],
                               stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit("the service did not start; see " + log.name)


def cookies_of(response):
    pairs = [line.split(";", 1)[0] for name, line in response.getheaders() if name.lower() == "set-cookie"]
    return "; ".join(p for p in pairs if not p.endswith("="))


def guess(port, index, distributed, stop, limit, results):
    """One guessing client, in a process of its own (so that it never holds the measuring
    process's interpreter lock): posts wrong passwords until told to stop, then reports the
    answers by status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/signin")
    page = connection.getresponse()
    cookie = cookies_of(page)
    token = re.search(r'name="csrfToken" value="([^"]+)"', page.read().decode()).group(1)
    statuses, sent = {}, 0
    while not stop.is_set() and sent < limit:
        sent += 1
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        email = "ada@example.com"
        if distributed:
            headers["X-Forwarded-For"] = f"10.{index}.{sent // 250}.{sent % 250}"
            email = f"guess-{index}-{sent}@example.com"
        body = f"csrfToken={token}&email={email}&password=wrong-{sent}"
        connection.request("POST", "/signin", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        statuses[response.status] = statuses.get(response.status, 0) + 1
    results.put(statuses)


def sample(port, count, seconds, pause=0.0):
    """Latencies of GET /cookies in milliseconds, on one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, deadline = [], time.time() + seconds
    while len(latencies) < count and time.time() < deadline:
        started = time.perf_counter()
        connection.request("GET", "/cookies")
        response = connection.getresponse()
        response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            sys.exit(f"GET /cookies answered {response.status}")
        time.sleep(pause)
    return latencies


def flood(port, clients, distributed, samples, seconds):
    stop, results = multiprocessing.Event(), multiprocessing.Queue()
    guessers = [multiprocessing.Process(target=guess, args=(port, index, distributed, stop, 20_000, results))
                for index in range(clients)]
    for guesser in guessers:
        guesser.start()
    time.sleep(1.0)  # let the pool fill (or the limit trip) before measuring
    latencies = sample(port, samples, seconds, pause=0.02)
    stop.set()
    statuses = {}
    for _ in guessers:
        for status, count in results.get(timeout=40).items():
            statuses[status] = statuses.get(status, 0) + count
    for guesser in guessers:
        guesser.join(timeout=5)
    return latencies, statuses


def describe(name, latencies, idle=None, statuses=None):
    p50 = statistics.median(latencies)
    p90 = statistics.quantiles(latencies, n=10)[-1]
    line = f"{name:<12} GET /cookies n={len(latencies):<4} p50 {p50:7.1f} ms  p90 {p90:7.1f} ms"
    if idle:
        line += f"  ({p50 / idle:.1f}x idle)"
    if statuses:
        line += "  sign-ins: " + ", ".join(f"{count}x {status}" for status, count in sorted(statuses.items()))
    print(line, flush=True)
    return p50


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--release", action="store_true",
                        help="the release build (swift build -c release in the example), not make example's debug one")
    options = parser.parse_args()
    binary = os.path.join(BUILD, "release" if options.release else "debug", "SignInService")
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary} is missing: build it with make example (or swift build -c release in the example)")
    port = free_port()
    process = start(binary, port, tempfile.mkdtemp(prefix="signin-flood-"))
    try:
        sample(port, 20, options.seconds)  # warm up
        # Idle is measured again before each flood, so that a change in the machine's other
        # load between phases does not count as the flood's doing.
        ratios = []
        for name, distributed in [("distributed", True), ("one address", False)]:
            idle = describe("idle", sample(port, options.samples, options.seconds, pause=0.02))
            latencies, statuses = flood(port, options.clients, distributed, options.samples, options.seconds)
            ratios.append(describe(name, latencies, idle, statuses) / idle)
        print(f"target: p50 under the distributed flood within 3x idle: {'met' if ratios[0] <= 3 else 'NOT met'}")
    finally:
        process.terminate()
        process.wait(timeout=15)


if __name__ == "__main__":
    main()
