#!/usr/bin/env python3
"""How a password-guessing flood affects the sign-in service's other routes (issue 28, item 5).

Starts Examples/SignInService (built: make example, or make e2e) on a free loopback port with
--behind-proxy, then measures GET /cookies latency over one keep-alive connection:

  idle         nothing else running;
  distributed  CLIENTS threads post wrong passwords, each from a new X-Forwarded-For address and
               for a new e-mail, so the sign-in limits never apply: what is left is the bounded
               password-check pool (2 threads, 8 waiting, 503 beyond);
  one address  the same threads without X-Forwarded-For: after 20 failures the address gets 429.

Loopback only; each phase is bounded in time (--seconds) and in requests. Standard library only.

    python3 scripts/signin-flood.py [--clients 8] [--samples 200] [--seconds 30]
"""
import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "Examples", "SignInService", ".build", "debug", "SignInService")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port, data):
    log = open(os.path.join(data, "server.log"), "w")
    process = subprocess.Popen([BINARY, "--port", str(port), "--data", data, "--behind-proxy"],
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


class Guesser(threading.Thread):
    """Posts wrong passwords until told to stop; counts the answers by status."""

    def __init__(self, port, index, distributed, stop, limit):
        super().__init__(daemon=True)
        self.port, self.index, self.distributed, self.stop, self.limit = port, index, distributed, stop, limit
        self.statuses = {}

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", "/signin")
        page = connection.getresponse()
        cookie = cookies_of(page)
        token = re.search(r'name="csrfToken" value="([^"]+)"', page.read().decode()).group(1)
        sent = 0
        while not self.stop.is_set() and sent < self.limit:
            sent += 1
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
            email = "ada@example.com"
            if self.distributed:
                headers["X-Forwarded-For"] = f"10.{self.index}.{sent // 250}.{sent % 250}"
                email = f"guess-{self.index}-{sent}@example.com"
            body = f"csrfToken={token}&email={email}&password=wrong-{sent}"
            connection.request("POST", "/signin", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1


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
    stop = threading.Event()
    guessers = [Guesser(port, index, distributed, stop, limit=2000) for index in range(clients)]
    for guesser in guessers:
        guesser.start()
    time.sleep(1.0)  # let the pool fill (or the limit trip) before measuring
    latencies = sample(port, samples, seconds, pause=0.02)
    stop.set()
    for guesser in guessers:
        guesser.join(timeout=35)
    statuses = {}
    for guesser in guessers:
        for status, count in guesser.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
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
    options = parser.parse_args()
    if not os.access(BINARY, os.X_OK):
        sys.exit(f"{BINARY} is missing: build it with make example or make e2e")
    port = free_port()
    process = start(port, tempfile.mkdtemp(prefix="signin-flood-"))
    try:
        sample(port, 20, options.seconds)  # warm up
        idle = describe("idle", sample(port, options.samples, options.seconds, pause=0.02))
        latencies, statuses = flood(port, options.clients, True, options.samples, options.seconds)
        distributed = describe("distributed", latencies, idle, statuses)
        latencies, statuses = flood(port, options.clients, False, options.samples, options.seconds)
        describe("one address", latencies, idle, statuses)
        print(f"target: p50 under flood within 3x idle: {'met' if distributed <= 3 * idle else 'NOT met'}")
    finally:
        process.terminate()
        process.wait(timeout=15)


if __name__ == "__main__":
    main()
