"""Proof under faults (make test-fleet): three nodes of Examples/SignInService as separate
processes on loopback, one PostgreSQL for their revocations, and a driver that signs users in,
keeps requesting, signs sessions out through different nodes, restarts PostgreSQL, kills a node
with SIGKILL, and plays a thief who replays copied cookies (and every re-issued copy a node hands
out) against every node.

Run through scripts/fleet.sh, which starts the throw-away PostgreSQL (scripts/postgres-cluster.sh)
and passes SESSION_TOKEN_PG_URL, PGPASSWORD, SESSION_TOKEN_PG_CTL and SESSION_TOKEN_PG_DIR.
Python 3's standard library only; only 127.0.0.1 is contacted. Every loop is bounded in count and
in time, and every child process is killed on the way out (a failure and Ctrl-C included).

What is asserted, and what each assertion means:
- no 5xx: no response of any node, during any fault, is a server error (a sign-out the store
  cannot record is a 303 back to the account page with a message);
- no request to a running node goes unanswered;
- each revocation: after its propagation bound (1 s while the store is up; the staleness bound
  plus a reload for one made while the store is down or just restarted), no node accepts the
  revoked session, the thief's copy of its cookie, or any copy a node re-issued from it;
- a sign-out the store refused (PostgreSQL down) leaves the user signed in and says so;
- a node whose revocations are stale re-issues nothing;
- no valid (never revoked) session is refused once the fleet has recovered from the faults;
- propagation p99 is within 1 s while the store is up.
The last line is `fleet: N passed, M failed`; the exit status is non-zero on any failure.
"""
import base64
import email.utils
import http.client
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("FLEET_BINARY",
                        os.path.join(ROOT, "Examples", "SignInService", ".build", "debug", "SignInService"))


def setting(name, default):
    return type(default)(os.environ.get(name, default))


NODES = 3
USERS = setting("FLEET_USERS", 200)              # users signed in, one session each
SECOND_DEVICES = setting("FLEET_SECOND_DEVICES", 60)  # users who also sign in on a second device
REVOCATIONS_A_PHASE = setting("FLEET_REVOCATIONS_A_PHASE", 30)  # at most, in each quiet phase (10 while a node is down)
KEEP_VALID = setting("FLEET_KEEP_VALID", 80)     # users never revoked: the valid sessions checked at the end
UPDATE_AGE = 2.0                                 # --update-age: every copied cookie is soon due for re-issue
STALE_AFTER = 5.0                                # --stale-after
RELOAD_INTERVAL = 2.0                            # --reload-interval
UP_BOUND = 1.0                                   # propagation bound while the store is up
FAULT_BOUND = STALE_AFTER + RELOAD_INTERVAL      # ... while it is down or just restarted
STEADY_SECONDS = setting("FLEET_STEADY_SECONDS", 12.0)  # each quiet phase between faults
PG_DOWN_SECONDS = STALE_AFTER + 3.0              # long enough for every node to go stale
NODE_DOWN_SECONDS = 3.0
REQUEST_TIMEOUT = 10.0
MAX_COPIES = 12                                  # copies the thief keeps of one revocation (bounds every replay)
SESSION = "next-auth.session-token"              # the example's cookie policy (next-auth's names)
PASSWORD = "demo users share this password"      # DemoUsers.sharedPassword
SEED = setting("FLEET_SEED", secrets.randbelow(1_000_000))
CSRF_FIELD = re.compile(r'name="csrfToken" value="([^"]*)"')
USER_ID = re.compile(r'<span id="user-id">([^<]*)</span>')

rng = random.Random(SEED)
rng_lock = threading.Lock()


def pick(sequence):
    with rng_lock:
        return rng.choice(sequence)


def now():
    return time.monotonic()


# Results -----------------------------------------------------------------------------------------

class Results:
    """Counters and findings, shared by every thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.server_errors = []          # (node, method, path, status)
        self.unanswered = []             # (node, method, path, error)
        self.unexpected = []             # answers that are neither acceptance nor refusal
        self.late = []                   # (revocation, node, seconds after the sign-out)
        self.valid_refused_during = []   # valid sessions refused while a fault was in progress
        self.valid_refused_after = []    # ... once the fleet had recovered
        self.stale_reissues = []         # session cookies handed out by a stale node
        self.stale_checked = 0           # due tokens presented while every node was stale
        self.reissued_collected = 0
        self.replays = 0
        self.swept_valid = 0             # valid sessions checked on every node at the end
        self.failures = []               # (assertion, detail)
        self.passed = 0

    def add(self, field, item):
        with self.lock:
            getattr(self, field).append(item)

    def count(self, field, n=1):
        with self.lock:
            setattr(self, field, getattr(self, field) + n)

    def check(self, ok, name, detail=""):
        with self.lock:
            if ok:
                self.passed += 1
            else:
                self.failures.append((name, detail))
        return ok


results = Results()
stopping = threading.Event()
issued_at = {}      # session cookie value -> when a node handed it out (to tell which are due)


# HTTP --------------------------------------------------------------------------------------------

class Answer:
    def __init__(self, status, headers, body, sent, received):
        self.status, self.headers, self.body = status, headers, body
        self.sent, self.received = sent, received
        self.location = next((v for k, v in headers if k.lower() == "location"), None)
        self.set_cookies = [v for k, v in headers if k.lower() == "set-cookie"]

    def user(self):
        found = USER_ID.search(self.body) if self.status == 200 else None
        return found.group(1) if found else None

    def refused(self):
        return self.status == 303 and (self.location or "").startswith("/signin")

    def session_cookie(self):
        """The session cookie this answer sets (not one it expires), or None."""
        for line in self.set_cookies:
            name, value, expired = parse_set_cookie(line)
            if name.startswith(SESSION) and not expired:
                return value
        return None


def parse_set_cookie(line):
    first, *attributes = [part.strip() for part in line.split(";")]
    name, _, value = first.partition("=")
    expired = False
    for attribute in attributes:
        key, _, argument = attribute.partition("=")
        key = key.lower()
        if key == "max-age":
            expired = expired or int(argument or "0") <= 0
        elif key == "expires":
            when = email.utils.parsedate_to_datetime(argument)
            expired = expired or when.timestamp() <= time.time()
    return name, value, expired


def apply_cookies(jar, answer):
    for line in answer.set_cookies:
        name, value, expired = parse_set_cookie(line)
        if expired:
            jar.pop(name, None)
        else:
            jar[name] = value


def session_of(jar):
    return {name: value for name, value in jar.items() if name.startswith(SESSION)}


def call(node, method, path, cookies=None, form=None):
    """One request on a connection of its own. Returns an Answer, or None when the node did not
    answer (recorded unless the node was being killed or was down)."""
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    sent = now()
    generation = node.generation
    connection = http.client.HTTPConnection("127.0.0.1", node.port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read().decode("utf-8", "replace")
        answer = Answer(response.status, response.getheaders(), data, sent, now())
    except (OSError, http.client.HTTPException) as error:
        if node.up and node.generation == generation:
            results.add("unanswered", (node.name, method, path, repr(error)))
        return None
    finally:
        connection.close()
    results.count("requests")
    issued = answer.session_cookie()
    if issued:
        issued_at[issued] = answer.received
    if answer.status >= 500:
        results.add("server_errors", (node.name, method, path, answer.status))
    return answer


# Nodes -------------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    def __init__(self, index, environment, folder):
        self.name = f"node-{index + 1}"
        self.port = free_port()
        self.data = os.path.join(folder, self.name)
        self.environment = environment
        self.log_path = os.path.join(folder, self.name + ".log")
        self.process = None
        self.up = False
        self.generation = 0

    def start(self, deadline_seconds=90):
        arguments = [BINARY, "--port", str(self.port), "--data", self.data,
                     "--update-age", str(UPDATE_AGE), "--stale-after", str(STALE_AFTER),
                     "--reload-interval", str(RELOAD_INTERVAL), "--demo-users", str(USERS)]
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(arguments, env=self.environment, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        log.close()
        deadline = now() + deadline_seconds
        while now() < deadline and not stopping.is_set():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/signin")
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    self.generation += 1
                    self.up = True
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer within {deadline_seconds} s:\n{self.log_tail()}")

    def kill(self):
        self.up = False
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        self.up = False
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def log_tail(self, lines=20):
        try:
            with open(self.log_path) as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""


nodes = []


def live_nodes():
    return [node for node in nodes if node.up]


def check_nodes():
    """A node that exits by itself ends the run at once, with its log."""
    for node in nodes:
        if node.up and node.process.poll() is not None:
            node.up = False
            raise RuntimeError(f"{node.name} exited with {node.process.returncode}:\n{node.log_tail()}")


# Sessions ----------------------------------------------------------------------------------------

class Device:
    """One browser of one user: its cookie jar and what the driver knows of its session."""

    def __init__(self, user, number):
        self.user = user
        self.name = f"{user}#{number}"
        self.jar = {}
        self.lock = threading.Lock()
        self.state = "signed-out"     # valid, revoking, revoked
        self.revocation = None


class Revocation:
    def __init__(self, scope, device, devices, node, phase):
        self.scope, self.device, self.devices, self.node, self.phase = scope, device, devices, node, phase
        self.copies = []          # cookies the thief holds: copied before, and re-issued from them
        self.at = None            # when the sign-out answered
        self.bound = UP_BOUND
        self.propagation = None   # seconds until every other node refused
        self.late = 0


users = {}          # user -> [Device]
devices = []
revocations = []
faults = {"pg_stop": None, "pg_stopped": None, "pg_restarting": None, "pg_started": None,
          "node_killed": None, "node_ready": None}
stolen = {}         # device name -> the thief's copy of its session cookie, taken at sign-in


def sign_in(device, node):
    if stopping.is_set():
        return False
    page = call(node, "GET", "/signin", device.jar)
    if page is None or page.status != 200:
        return False
    apply_cookies(device.jar, page)
    token = CSRF_FIELD.search(page.body)
    if not token:
        return False
    number = device.user.split("-")[1]
    answer = call(node, "POST", "/signin", device.jar,
                  {"csrfToken": token.group(1), "email": f"user-{number}@example.com", "password": PASSWORD})
    if answer is None or answer.status != 303 or answer.location != "/account" or not answer.session_cookie():
        return False
    apply_cookies(device.jar, answer)
    device.state = "valid"
    stolen[device.name] = session_of(device.jar)  # the thief copies the cookie now
    return True


def in_fault_window(moment):
    """True when a revocation at `moment` was written while the store was going down, down, or
    just restarted: its bound is then the staleness bound plus a reload."""
    stop, started = faults["pg_stop"], faults["pg_started"]
    if stop is None:
        return False
    end = (started if started is not None else float("inf")) + FAULT_BOUND
    return stop - UP_BOUND <= moment <= end


def recovered_since():
    """From when the fleet counts as recovered: the last fault's end plus the fault bound."""
    ends = [faults["pg_started"], faults["node_ready"]]
    if any(end is None for end in ends):
        return float("inf")
    return max(ends) + FAULT_BOUND


def stale_check(node, cookies, answer, who):
    """While every node's revocations are stale (the store down for longer than the staleness
    bound before the request, and still down after it), a token due for re-issue that a node
    accepts must come back without a fresh cookie."""
    stopped, restarting = faults["pg_stopped"], faults["pg_restarting"]
    if stopped is None or restarting is not None or answer.sent <= stopped + STALE_AFTER + 1.0:
        return
    if answer.status != 200 or issued_at.get(cookies.get(SESSION), 0.0) > answer.sent - UPDATE_AGE - 0.2:
        return  # refused, or not yet due
    results.count("stale_checked")
    if answer.session_cookie():
        results.add("stale_reissues", (node.name, who))


def observe(device, node, cookies, answer):
    """Judges one GET /account of a device's cookies."""
    if answer is None:
        return
    stale_check(node, cookies, answer, device.name)
    state = device.state
    if answer.user() == device.user:
        if state == "revoked":
            if answer.sent > device.revocation.at + device.revocation.bound:
                late(device.revocation, node, answer)
            if answer.session_cookie():  # re-issued before the node heard: the thief keeps it too
                keep(device.revocation, answer.session_cookie())
        elif state == "valid":
            apply_cookies(device.jar, answer)
    elif answer.refused():
        if state == "valid":
            during = answer.sent < recovered_since()
            results.add("valid_refused_during" if during else "valid_refused_after", (node.name, device.name))
    else:
        results.add("unexpected", (node.name, "GET /account", answer.status))


def late(revocation, node, answer):
    revocation.late += 1
    results.add("late", (revocation.device.name, revocation.scope, node.name,
                         round(answer.sent - revocation.at, 3)))


# Traffic -----------------------------------------------------------------------------------------

def browse(until):
    """Background traffic: GET /account with a random device's cookies on a random live node."""
    while not stopping.is_set() and now() < until:
        device = pick(devices)
        alive = live_nodes()
        if device.state in ("signed-out", "revoking") or not alive or not session_of(device.jar):
            time.sleep(0.005)
            continue
        if not device.lock.acquire(blocking=False):
            continue
        try:
            if device.state == "revoking":
                continue
            node = pick(alive)
            cookies = dict(device.jar)
            observe(device, node, cookies, call(node, "GET", "/account", cookies))
        finally:
            device.lock.release()
        time.sleep(0.01)


def collect_reissues(revocation, cookies, node):
    """The thief presents `cookies` to `node`; any session cookie it hands out is kept."""
    answer = call(node, "GET", "/account", cookies)
    if answer is None:
        return None
    results.count("replays")
    stale_check(node, cookies, answer, "thief")
    copy = answer.session_cookie()
    if copy and answer.user() == revocation.device.user:
        keep(revocation, copy)
    return answer


def keep(revocation, copy):
    """The thief keeps a re-issued copy, up to MAX_COPIES of a revocation."""
    results.count("reissued_collected")
    with results.lock:
        if len(revocation.copies) < MAX_COPIES:
            revocation.copies.append({SESSION: copy})


def revoke(scope, device, through, page_node, phase):
    """The victim signs out through `through` (the form read from `page_node`): "this device" or
    "everywhere". Returns the Revocation, or None when the store refused it."""
    affected = [device] if scope == "this device" else [d for d in users[device.user] if d.state == "valid"]
    revocation = Revocation(scope, device, affected, through, phase)
    # The thief's copies, taken before the revocation: the victims' cookies, and whatever a node
    # re-issues from them now that they are due (older than --update-age).
    for victim in affected:
        if stolen.get(victim.name):
            revocation.copies.append(dict(stolen[victim.name]))
    for node in live_nodes():
        for copy in list(revocation.copies):
            collect_reissues(revocation, copy, node)
    for victim in affected:
        victim.lock.acquire()
    try:
        page = call(page_node, "GET", "/account", device.jar)
        if page is None or page.user() != device.user:
            return None
        apply_cookies(device.jar, page)
        token = CSRF_FIELD.search(page.body).group(1)
        for victim in affected:
            victim.state = "revoking"
        path = "/signout" if scope == "this device" else "/signout-everywhere"
        answer = call(through, "POST", path, device.jar, {"csrfToken": token})
        if answer is not None and answer.status == 303 and answer.location == "/signin":
            revocation.at = answer.received
            revocation.bound = FAULT_BOUND if in_fault_window(revocation.at) else UP_BOUND
            apply_cookies(device.jar, answer)
            for victim in affected:
                victim.revocation = revocation
                victim.state = "revoked"
                if victim is not device:
                    revocation.copies.append(session_of(victim.jar))  # the other browsers' cookies
            results.check(not session_of(device.jar), "sign-out expires the session cookie", device.name)
            return revocation
        for victim in affected:
            victim.state = "valid"
        refused_by_store(device, through, answer)
        return None
    finally:
        for victim in affected:
            victim.lock.release()


refused_sign_outs = []


def refused_by_store(device, node, answer):
    """A sign-out the store could not record: a 303 back to the account, which says so, and the
    user still signed in."""
    if answer is None:
        return
    ok = answer.status == 303 and (answer.location or "").startswith("/account?notice=")
    follow = call(node, "GET", answer.location, device.jar) if ok else None
    ok = ok and follow is not None and follow.user() == device.user and 'id="account-notice"' in follow.body
    refused_sign_outs.append(ok)
    results.check(ok, "a sign-out the store refused answers 303 to /account with a message; still signed in",
                  f"{device.name}: {answer.status} {answer.location}")


def measure_propagation(revocation):
    """The thief right after a revocation: replays the copied cookie on every other live node until
    each refuses it, keeping any copy a node re-issues meanwhile. The propagation is the time from
    the sign-out's answer to the answer of the last node's first refusal (an upper bound)."""
    others = [node for node in live_nodes() if node is not revocation.node]
    primary = revocation.copies[0] if revocation.copies else None
    refused_at = {}
    horizon = revocation.at + revocation.bound + 3.0
    def pending():
        return [node for node in others if node.name not in refused_at and node.up]
    while primary and pending() and now() < horizon and not stopping.is_set():
        for node in pending():
            answer = collect_reissues(revocation, primary, node)
            if answer is None:
                continue
            if answer.refused():
                refused_at[node.name] = answer.received
            elif answer.user() == revocation.device.user and answer.sent > revocation.at + revocation.bound:
                late(revocation, node, answer)
        time.sleep(0.002)
    if refused_at and not pending():
        revocation.propagation = max(t - revocation.at for t in refused_at.values())


def after_bound(revocation):
    """Once the revocation's bound has passed: every copy the thief holds, on every live node."""
    wait = revocation.at + revocation.bound + 0.05 - now()
    if wait > 0:
        stopping.wait(wait)
    replay(revocation)


def replay(revocation):
    for node in live_nodes():
        if stopping.is_set():
            return
        for copy in list(revocation.copies):
            answer = collect_reissues(revocation, copy, node)
            if answer is not None and answer.user() == revocation.device.user:
                late(revocation, node, answer)


# The run -----------------------------------------------------------------------------------------

def pg_server(action):
    subprocess.run(["bash", os.environ["SESSION_TOKEN_PG_CTL"], action, os.environ["SESSION_TOKEN_PG_DIR"]],
                   check=True, timeout=90, stdin=subprocess.DEVNULL)


def candidates():
    """Users who may be revoked (the rest stay valid to the end), two-device users first for
    "this device", so that the other device shows the revocation took only its own session."""
    revocable = [user for user in users if int(user.split("-")[1]) > KEEP_VALID]
    with rng_lock:
        rng.shuffle(revocable)
    return revocable


def run_revocations(phase, until, quota, pool, queue):
    """Revokes sessions through different nodes until `until`, at most `quota` of them, then waits
    for `until`: each phase lasts its time whatever it revoked."""
    made = 0
    while now() < until and made < quota and queue and not stopping.is_set():
        check_nodes()
        alive = live_nodes()
        if len(alive) < 2:
            time.sleep(0.1)
            continue
        user = queue[-1]
        valid = [d for d in users[user] if d.state == "valid"]
        if not valid:
            queue.pop()
            continue
        scope = "everywhere" if len(revocations) % 3 == 2 else "this device"
        device = valid[0]
        page_node = pick(alive)
        through = alive[(alive.index(page_node) + 1) % len(alive)]
        revocation = revoke(scope, device, through, page_node, phase)
        if revocation is not None:
            made += 1
            revocations.append(revocation)
            measure_propagation(revocation)
            pool.submit(after_bound, revocation)
            if not [d for d in users[user] if d.state == "valid"]:
                queue.pop()
        stopping.wait(0.15)
    stopping.wait(max(0.0, until - now()))
    check_nodes()


def final_sweep(pool):
    """Once recovered: every valid session opens on every node; every revoked one and every copy
    of it is refused on every node."""
    def check_valid(device):
        results.count("swept_valid")
        for node in nodes:
            if stopping.is_set():
                return
            with device.lock:
                cookies = dict(device.jar)
                observe(device, node, cookies, call(node, "GET", "/account", cookies))
    list(pool.map(check_valid, [d for d in devices if d.state == "valid"]))
    list(pool.map(replay, revocations))
    def check_revoked(device):
        if session_of(device.jar) and not stopping.is_set():
            for node in nodes:
                answer = call(node, "GET", "/account", dict(device.jar))
                if answer is not None and answer.user() == device.user:
                    late(device.revocation, node, answer)
    list(pool.map(check_revoked, [d for d in devices if d.state == "revoked"]))


def percentile(values, fraction):
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(fraction * len(ordered)))) - 1]


def ms(seconds):
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main():
    for name in ("SESSION_TOKEN_PG_URL", "PGPASSWORD", "SESSION_TOKEN_PG_CTL", "SESSION_TOKEN_PG_DIR"):
        if not os.environ.get(name):
            print(f"fleet: {name} is not set: run through scripts/fleet.sh (make test-fleet)")
            return 2
    if not os.access(BINARY, os.X_OK):
        print(f"fleet: {BINARY} is missing: build the example first (make test-fleet does)")
        return 2
    started = now()
    folder = tempfile.mkdtemp(prefix="session-token-fleet-")
    key = "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    environment = {k: v for k, v in os.environ.items() if k not in ("NEXTAUTH_SECRET", "PORT", "ORIGIN")}
    environment.update(SESSION_TOKEN_KEYS=key, CSRF_SECRET=secrets.token_urlsafe(32),
                       DATABASE_URL=os.environ["SESSION_TOKEN_PG_URL"])
    print(f"fleet: {NODES} nodes, {USERS} users (+{SECOND_DEVICES} second devices), --update-age {UPDATE_AGE:g} "
          f"--stale-after {STALE_AFTER:g} --reload-interval {RELOAD_INTERVAL:g}, seed {SEED}, logs in {folder}",
          flush=True)
    for index in range(NODES):
        nodes.append(Node(index, environment, folder))
    with ThreadPoolExecutor(NODES) as starter:
        list(starter.map(lambda node: node.start(), nodes))
    results.check(all(node.up for node in nodes), "every node starts and answers")
    print(f"fleet: nodes up on ports {', '.join(str(n.port) for n in nodes)} ({now() - started:.1f} s)", flush=True)

    # Sign-ins, spread over the nodes; a few at a time (Argon2id is slow on purpose).
    for number in range(1, USERS + 1):
        user = f"user-{number}"
        users[user] = [Device(user, 1)]
        if number > USERS - SECOND_DEVICES:
            users[user].append(Device(user, 2))
        devices.extend(users[user])
    with ThreadPoolExecutor(3) as signers:
        outcomes = list(signers.map(lambda pair: sign_in(pair[1], nodes[pair[0] % NODES]), enumerate(devices)))
    signed_in = sum(outcomes)
    results.check(signed_in == len(devices) and len(users) >= 200, "every user signs in (at least 200 users)",
                  f"{signed_in} of {len(devices)}")
    print(f"fleet: {signed_in} sessions of {len(users)} users signed in ({now() - started:.1f} s)", flush=True)
    time.sleep(UPDATE_AGE + 0.2)  # every copied cookie is now due for re-issue

    queue = candidates()
    thief = ThreadPoolExecutor(6)
    end_of_traffic = now() + 6 * STEADY_SECONDS + 120  # a hard stop for the background traffic
    browsers = [threading.Thread(target=browse, args=(end_of_traffic,), daemon=True) for _ in range(3)]
    for browser in browsers:
        browser.start()
    try:
        # 1. Quiet: revocations with the store up.
        run_revocations("quiet", now() + STEADY_SECONDS, REVOCATIONS_A_PHASE, thief, queue)
        # 2. PostgreSQL restarts: sign-outs meanwhile are refused (303), every node goes stale.
        faults["pg_stop"] = now()
        pg_server("stop-server")
        faults["pg_stopped"] = now()
        print(f"fleet: PostgreSQL stopped ({now() - started:.1f} s)", flush=True)
        stopping.wait(0.5)
        outage_end = faults["pg_stop"] + PG_DOWN_SECONDS
        while now() < outage_end and queue and not stopping.is_set():
            check_nodes()
            alive = live_nodes()
            device = next((d for d in users[pick(queue)] if d.state == "valid"), None)
            if device is None:
                stopping.wait(0.05)
                continue
            with device.lock:
                page = call(alive[0], "GET", "/account", device.jar)
                if page is not None and page.user() == device.user:
                    token = CSRF_FIELD.search(page.body).group(1)
                    answer = call(alive[1], "POST", "/signout", device.jar, {"csrfToken": token})
                    refused_by_store(device, alive[1], answer)
            stopping.wait(1.0)
        faults["pg_restarting"] = now()
        pg_server("start-server")
        faults["pg_started"] = now()
        print(f"fleet: PostgreSQL started again ({now() - started:.1f} s)", flush=True)
        # 3. Just restarted, then quiet again.
        run_revocations("PostgreSQL just restarted", now() + STEADY_SECONDS, REVOCATIONS_A_PHASE, thief, queue)
        # 4. One node killed with SIGKILL, revocations through the others, then started again.
        victim = nodes[-1]
        faults["node_killed"] = now()
        victim.kill()
        print(f"fleet: {victim.name} killed with SIGKILL ({now() - started:.1f} s)", flush=True)
        run_revocations(f"{victim.name} down", now() + NODE_DOWN_SECONDS, REVOCATIONS_A_PHASE // 3, thief, queue)
        victim.start()
        faults["node_ready"] = now()
        print(f"fleet: {victim.name} started again ({now() - started:.1f} s)", flush=True)
        run_revocations(f"{victim.name} restarted", now() + STEADY_SECONDS, REVOCATIONS_A_PHASE, thief, queue)
        # 5. Recovered: the traffic goes on until the fault bound has passed, then the sweep.
        stopping.wait(max(0.0, recovered_since() - now()) + 0.5)
        thief.shutdown(wait=True)
        with ThreadPoolExecutor(6) as sweepers:
            final_sweep(sweepers)
    finally:
        stopping.set()
        for browser in browsers:
            browser.join(timeout=REQUEST_TIMEOUT + 2)
        thief.shutdown(wait=False, cancel_futures=True)
    status = report(started)
    if status == 0:
        for node in nodes:
            node.stop()
        shutil.rmtree(folder, ignore_errors=True)  # kept after a failure, for its logs
    return status


def report(started):
    up = [r.propagation for r in revocations if r.bound == UP_BOUND and r.propagation is not None]
    around = [r.propagation for r in revocations if r.bound == FAULT_BOUND and r.propagation is not None]
    for revocation in revocations:
        results.check(revocation.late == 0, "no node accepts a revoked session or a copy of it after the bound",
                      f"{revocation.device.name} ({revocation.scope}): {revocation.late} late")
    results.check(not results.server_errors, "no 5xx", repr(results.server_errors[:5]))
    results.check(not results.unanswered, "every request to a running node is answered", repr(results.unanswered[:5]))
    results.check(not results.unexpected, "GET /account either accepts or refuses", repr(results.unexpected[:5]))
    results.check(results.swept_valid > 0 and not results.valid_refused_after,
                  "no valid session is refused after recovery",
                  repr(results.valid_refused_after[:5]))
    results.check(results.stale_checked > 0 and not results.stale_reissues,
                  "a stale node re-issues nothing", f"{results.stale_checked} checked, {results.stale_reissues[:5]}")
    results.check(len(refused_sign_outs) > 0, "sign-outs were tried while the store was down")
    results.check(bool(up) and percentile(up, 0.99) <= UP_BOUND, "propagation p99 within 1 s while the store is up")
    faults_survived = sum(1 for begun, ended in (("pg_stop", "pg_started"), ("node_killed", "node_ready"))
                          if faults[begun] is not None and faults[ended] is not None)
    results.check(faults_survived == 2, "both faults injected and survived")

    this_device = sum(1 for r in revocations if r.scope == "this device")
    print()
    print(f"revocations: {len(revocations)} ({this_device} this device, {len(revocations) - this_device} everywhere), "
          f"through {NODES} nodes; {len(refused_sign_outs)} more sign-outs refused by the store while it was down "
          f"or reconnecting (303 to /account with a message, still signed in)")
    phases = {}
    for revocation in revocations:
        phases[revocation.phase] = phases.get(revocation.phase, 0) + 1
    print("revocations by phase: " + ", ".join(f"{phase} {count}" for phase, count in phases.items()))
    if up:
        print(f"propagation (store up, {len(up)}): p50 {ms(percentile(up, 0.5))}, p99 {ms(percentile(up, 0.99))}, "
              f"max {ms(max(up))} (bound {UP_BOUND:g} s)")
    if around:
        print(f"propagation (store down or just restarted, {len(around)}): p50 {ms(percentile(around, 0.5))}, "
              f"max {ms(max(around))} (bound {FAULT_BOUND:g} s)")
    print(f"thief: {results.replays} replays, {results.reissued_collected} re-issued copies collected; "
          f"stale nodes shown {results.stale_checked} due tokens, re-issued {len(results.stale_reissues)}")
    print(f"faults survived: {faults_survived} (PostgreSQL restart, SIGKILL of {nodes[-1].name} and restart)")
    print(f"revoked sessions accepted late: {len(results.late)}")
    print(f"valid sessions refused: {len(results.valid_refused_after)} after recovery "
          f"({len(results.valid_refused_during)} during the faults; {results.swept_valid} valid sessions "
          f"checked on every node at the end)")
    print(f"requests: {results.requests}; 5xx: {len(results.server_errors)}; unanswered: {len(results.unanswered)}")
    for name, detail in results.failures[:20]:
        print(f"FAILED: {name}: {detail}")
    if results.failures:
        for node in nodes:
            print(f"--- {node.name} log (last lines)\n{node.log_tail()}")
    print(f"fleet: {results.passed} passed, {len(results.failures)} failed ({now() - started:.0f} s)")
    return 1 if results.failures else 0


def on_signal(number, _frame):
    stopping.set()  # the worker threads stop taking work, so the pools wind down at once
    raise KeyboardInterrupt(f"signal {number}")


if __name__ == "__main__":
    # Ctrl-C, SIGTERM and a closed terminal all end the run and its nodes, even when the shell
    # that started the driver in the background left SIGINT ignored.
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, on_signal)
    status = 1
    try:
        status = main()
    except KeyboardInterrupt:
        print("fleet: interrupted")
        status = 130
    except Exception as error:  # a broken run is a failed run, with the nodes' logs
        print(f"fleet: {type(error).__name__}: {error}")
        for node in nodes:
            print(f"--- {node.name} log (last lines)\n{node.log_tail()}")
        print("fleet: 0 passed, 1 failed")
        status = 1
    finally:
        stopping.set()
        for node in nodes:
            node.stop()
    sys.exit(status)
