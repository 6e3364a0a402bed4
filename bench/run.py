#!/usr/bin/env python3
"""`make bench`: whole-process timings of codika against the official Node CLI.

Starts the platform emulator (RSA mode, as the live platform) on a free
loopback port, then runs each command many times after a warm-up and reports
the median, min and max wall time and the peak RSS (from wait4's rusage) of
every run. When node and npm are present, the official CLI (npm `codika`
3.6.0, installed under target/official-cli) runs the same commands against the
same emulator. A benchmark, not a test: it fails only when a command fails.

A second table times round trips: through two local proxies that add 25 ms
each way (one in front of the API, one in front of the public key, as the live
platform serves the key from another host), `integration apply` of a use case
declaring 8 integrations against 8 `integration set` runs, ours and the
official CLI's (which has no apply).

Usage: run.py --codika BIN --emulator BIN --spawn BIN [--runs N] [--official-runs N]
"""

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL_PACKAGE = "codika@3.6.0"
OFFICIAL_DIR = ROOT / "target" / "official-cli"
OWNER_KEY = "cko_emulator_owner_full"
MIB = 1024 * 1024
SPAWN = None  # the launcher (bench/spawn.rs) that times and measures one process

# The targets of issue 5, checked at the end; the size raised from 3 MiB
# when private CAs came (the built-in roots also as whole certificates).
MAX_STATIC_SIZE = 2.5 * MIB  # the x86_64 musl binary (issue 20)
MAX_VERSION_MEDIAN_MS = 2.0
MIN_LIST_SPEEDUP = 30.0
MIN_RSS_RATIO = 8.0


def main():
    args = parse_args()
    global SPAWN
    SPAWN = str(Path(args.spawn).resolve())
    codika = str(Path(args.codika).resolve())
    official = official_cli() if not args.no_official else None
    work = Path(tempfile.mkdtemp(prefix="codika-bench-"))
    emulator = start_emulator(args.emulator)
    try:
        base = emulator.base
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(work),
            "NO_COLOR": "1",
            "CODIKA_BASE_URL": base,
            "CODIKA_PUBLIC_KEY_URL": base + "/encryption/public.pem",
            "CODIKA_API_KEY": OWNER_KEY,
        }
        secrets_file = work / "postgres.json"
        secrets_file.write_text(json.dumps({
            "POSTGRES_HOST": "db.internal",
            "POSTGRES_PORT": "5432",
            "POSTGRES_DATABASE": "invoices",
            "POSTGRES_USER": "bench",
            "POSTGRES_PASSWORD": "bench-password",
            "POSTGRES_SSL": "true",
        }))
        cases = commands(secrets_file)
        # Issue 18 §11: cost grows with the input, not its square. A
        # 10,000-key secrets file (dotenv and JSON; the keys beyond the
        # schema are warned about, and --dry-run sends nothing) and a
        # config.json of 2,000 profiles, in a HOME of its own so the other
        # rows do not read it.
        big_env, big_json, profiles_home = large_inputs(work)
        for name, argv in large_commands(big_env, big_json):
            cases.append((name, argv, None))
        # Issue 18 §7: an 8 MiB config.ts (small constants before a real
        # getConfiguration()) read in at most about 10× its size; openai,
        # the one integration it declares, is set untimed before each run.
        # The second is 400,000 exported declarations: the name tables.
        for row, folder, line in LARGE_CONFIGS:
            big_config = large_config_ts(work, folder, line)
            cases.append((row,
                          ["integration", "check", "--path", str(big_config)],
                          ["integration", "set", "openai",
                           "--secret", "OPENAI_API_KEY=sk-bench-0123456789"]))
        profile_env = dict(env, HOME=str(profiles_home))
        del profile_env["CODIKA_API_KEY"]
        # What starting any process costs here: the floor under every row.
        floor = measure([shutil.which("true") or "/bin/true"], [], None, env, work,
                        args.runs, args.warmup)
        rows = []
        for name, argv, setup in cases:
            ours = measure([codika], argv, setup, env, work, args.runs, args.warmup)
            theirs = None
            if official and not name.startswith(LARGE):
                theirs = measure(official, argv, setup, env, work, args.official_runs,
                                 args.warmup)
            rows.append((name, ours, theirs))
            print(f"  measured {name}", file=sys.stderr)
        for name, argv in profile_commands():
            ours = measure([codika], argv, None, profile_env, work, args.runs, args.warmup)
            rows.append((name, ours, None))
            print(f"  measured {name}", file=sys.stderr)
        latency_rows = []
        if args.latency_runs > 0:
            latency_rows = round_trips(codika, official, env, work, base, args)
    finally:
        emulator.stop()
        shutil.rmtree(work, ignore_errors=True)

    report(rows, floor, args, official is not None, latency_rows)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codika", required=True, help="the codika binary to time")
    parser.add_argument("--emulator", required=True, help="the codika-emulator binary")
    parser.add_argument("--spawn", required=True, help="the launcher built from bench/spawn.rs")
    parser.add_argument("--static", help="the static binary whose size is reported")
    parser.add_argument("--runs", type=int, default=50, help="timed runs per command")
    parser.add_argument("--official-runs", type=int, default=10,
                        help="timed runs per command of the official CLI")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-official", action="store_true",
                        help="do not run the official Node CLI")
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--latency-ms", type=float, default=25.0,
                        help="one-way latency the proxies add, in milliseconds")
    parser.add_argument("--latency-runs", type=int, default=10,
                        help="timed runs of each round-trip row (0: none)")
    parser.add_argument("--official-latency-runs", type=int, default=3,
                        help="timed runs of the official CLI's round-trip row")
    return parser.parse_args()


# Eight organization-level integrations of one secret each, as a use case
# declares them: what apply sets in one run and `set` in eight.
EIGHT = [
    ("openai", "OPENAI_API_KEY"),
    ("anthropic", "ANTHROPIC_API_KEY"),
    ("google_gemini", "GOOGLE_GEMINI_API_KEY"),
    ("mistral", "MISTRAL_API_KEY"),
    ("deep_seek", "DEEP_SEEK_API_KEY"),
    ("cohere", "COHERE_API_KEY"),
    ("x_ai", "X_AI_API_KEY"),
    ("open_router", "OPEN_ROUTER_API_KEY"),
]


class LatencyProxy:
    """A TCP proxy on a free loopback port that delivers every chunk, each
    way, `delay` seconds after it was read (a link of that one-way latency),
    and holds a new connection one round trip before relaying (its TCP
    handshake). The Host header is rewritten to the upstream's, which the
    emulator checks. Threads only: the standard library, nothing to install."""

    def __init__(self, upstream, delay):
        self.upstream = upstream
        self.delay = delay
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(client,), daemon=True).start()

    def serve(self, client):
        time.sleep(2 * self.delay)
        try:
            server = socket.create_connection(self.upstream)
        except OSError:
            client.close()
            return
        for sock in (client, server):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        host = re.compile(rb"(?im)^host: *127\.0\.0\.1:%d\r$" % self.port)
        upstream = b"Host: %s:%d\r" % (self.upstream[0].encode(), self.upstream[1])
        rewrite = lambda data: host.sub(upstream, data)  # noqa: E731
        for source, sink, change in ((client, server, rewrite), (server, client, None)):
            threading.Thread(target=self.pipe, args=(source, sink, change),
                             daemon=True).start()

    def pipe(self, source, sink, change):
        queue, ready = [], threading.Condition()

        def deliver():
            while True:
                with ready:
                    while not queue:
                        ready.wait()
                    due, data = queue.pop(0)
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                try:
                    if data:
                        sink.sendall(data)
                    else:
                        sink.shutdown(socket.SHUT_WR)
                        return
                except OSError:
                    return

        threading.Thread(target=deliver, daemon=True).start()
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if data and change:
                data = change(data)
            with ready:
                queue.append((time.monotonic() + self.delay, data))
                ready.notify()
            if not data:
                return

    def close(self):
        self.listener.close()


def round_trips(codika, official, env, work, base, args):
    """Rows (name, ours, theirs) timed through the latency proxies."""
    host, port = base.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)
    delay = args.latency_ms / 1000
    api = LatencyProxy((host, int(port)), delay)
    key = LatencyProxy((host, int(port)), delay)
    use_case = work / "eight"
    use_case.mkdir()
    (use_case / "project.json").write_text(json.dumps(
        {"projectId": "proj_bench", "organizationId": "org_acme"}))
    ids = ", ".join(f"'{i}'" for i, _ in EIGHT)
    (use_case / "config.ts").write_text(
        "export function getConfiguration() {\n  return {\n"
        f"    integrationUids: [{ids}],\n    workflows: [],\n  }};\n}}\n")
    dotenv = use_case / ".env"
    dotenv.write_text("".join(f"{k}=bench-{i}-0123456789\n" for i, k in EIGHT))
    slow = dict(env)
    slow["CODIKA_BASE_URL"] = f"http://127.0.0.1:{api.port}"
    slow["CODIKA_PUBLIC_KEY_URL"] = f"http://127.0.0.1:{key.port}/encryption/public.pem"

    def reset():
        request = urllib.request.Request(base + "/_emulator/reset", data=b"", method="POST")
        urllib.request.urlopen(request).read()

    apply_argv = ["integration", "apply", "--path", str(use_case),
                  "--secrets-file", str(dotenv)]
    sets = [["integration", "set", i, "--secret", f"{k}=bench-{i}-0123456789"]
            for i, k in EIGHT]

    def timed(program, argvs, runs):
        times = []
        for n in range(1 + runs):  # one warm-up
            reset()
            started = time.perf_counter()
            for argv in argvs:
                done = subprocess.run([*program, *argv], env=slow, cwd=work,
                                      capture_output=True, text=True)
                if done.returncode != 0:
                    sys.exit(f"bench: `{' '.join(argv)}` failed through the proxy "
                             f"(exit {done.returncode}):\n{done.stdout}{done.stderr}")
            if n > 0:
                times.append((time.perf_counter() - started) * 1000)
        return {"median": statistics.median(times), "min": min(times), "max": max(times),
                "runs": runs}

    try:
        rows = [
            ("integration apply (8 integrations)",
             timed([codika], [apply_argv], args.latency_runs), None),
            ("8 × integration set",
             timed([codika], sets, args.latency_runs),
             timed(official, sets, args.official_latency_runs) if official else None),
        ]
        print("  measured the round trips", file=sys.stderr)
    finally:
        api.close()
        key.close()
        reset()
    return rows


def commands(secrets_file):
    """(name, argv after the program, untimed setup argv or None)."""
    openai = ["--secret", "OPENAI_API_KEY=sk-bench-0123456789"]
    return [
        ("--version", ["--version"], None),
        ("integration list", ["integration", "list"], None),
        ("integration set openai (1 secret)",
         ["integration", "set", "openai", *openai], None),
        ("integration set postgres (6 secrets, file)",
         ["integration", "set", "postgres", "--secrets-file", str(secrets_file),
          "--process-instance-id", "pi_acme_dev"], None),
        ("integration set openai --force",
         ["integration", "set", "openai", *openai, "--force"], None),
        ("integration delete openai --confirm",
         ["integration", "delete", "openai", "--confirm"],
         ["integration", "set", "openai", *openai]),
    ]


LARGE = "large input: "


def large_inputs(work):
    """A 10,000-key dotenv file, the same as JSON, and a HOME whose
    config.json holds 2,000 profiles."""
    base = {"POSTGRES_HOST": "db.internal", "POSTGRES_PORT": "5432",
            "POSTGRES_DATABASE": "invoices", "POSTGRES_USER": "bench",
            "POSTGRES_PASSWORD": "bench-password"}
    keys = dict(base)
    for i in range(10_000 - len(base)):
        keys[f"EXTRA_KEY_{i}"] = f"value-{i}-abcdefghijklmnop"
    big_env = work / "big.env"
    big_env.write_text("".join(f"{k}={v}\n" for k, v in keys.items()))
    big_json = work / "big.json"
    big_json.write_text(json.dumps(keys))
    home = work / "profiles-home"
    config = home / ".config" / "codika"
    config.mkdir(parents=True, mode=0o700)
    os.chmod(home / ".config", 0o700)
    profiles = {f"profile-{i}": {"apiKey": f"cko_bench_{i:032d}",
                                 "organizationId": f"org_{i}", "keyPrefix": "cko_bench",
                                 "baseUrl": "http://127.0.0.1:1"}
                for i in range(2_000)}
    path = config / "config.json"
    path.write_text(json.dumps({"activeProfile": "profile-0", "profiles": profiles},
                               indent=2))
    os.chmod(path, 0o600)
    return big_env, big_json, home


# (row, folder, line N of the padding)
LARGE_CONFIGS = [
    # 150,000 small constants: about 4 million tokens.
    (LARGE + "integration check, 8 MiB config.ts", "big-config",
     lambda n: f"const pad{n} = {{ a: [1, 2, 3], b: 'x', c: {{ d: true }} }};\n"),
    # About 400,000 names, each bound and exported.
    (LARGE + "integration check, 8 MiB config.ts of exports", "big-exports",
     lambda n: f"export const a{n}=1;\n"),
]


def large_config_ts(work, name, padding):
    """A use case folder whose config.ts is 8 MiB of `padding` lines before
    a getConfiguration() declaring openai."""
    folder = work / name
    folder.mkdir()
    (folder / "project.json").write_text(json.dumps({
        "projectId": "proj_bench", "organizationId": "org_acme",
        "devProcessInstanceId": "pi_acme_dev", "prodProcessInstanceId": "pi_acme_prod"}))
    tail = """
export function getConfiguration() {
  return {
    title: 'Bench',
    integrationUids: ['openai'],
    workflows: [{ workflowTemplateId: 'main', integrationUids: ['openai'] }],
  };
}
"""
    lines, size, n = [], len(tail), 0
    while True:
        line = padding(n)
        if size + len(line) > 8 * MIB:
            break
        lines.append(line)
        size += len(line)
        n += 1
    (folder / "config.ts").write_text("".join(lines) + tail)
    return folder


def large_commands(big_env, big_json):
    dry = ["--process-instance-id", "pi_acme_dev", "--dry-run"]
    return [
        (LARGE + "set postgres --dry-run, 10,000-key dotenv file",
         ["integration", "set", "postgres", "--secrets-file", str(big_env), *dry]),
        (LARGE + "set postgres --dry-run, 10,000-key JSON file",
         ["integration", "set", "postgres", "--secrets-file", str(big_json), *dry]),
    ]


def profile_commands():
    return [
        (LARGE + "use (list 2,000 profiles)", ["use"]),
        (LARGE + "use profile-1999 (rewrite 2,000 profiles)", ["use", "profile-1999"]),
    ]


class Emulator:
    def __init__(self, process, base):
        self.process = process
        self.base = base

    def stop(self):
        self.process.terminate()
        self.process.wait()


def start_emulator(binary):
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--key-type", "rsa", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline().strip()
    prefix = "listening on "
    if not line.startswith(prefix):
        process.kill()
        sys.exit(f"bench: the emulator did not start (first line: {line!r})")
    # Keep its stdout drained so it never blocks on a full pipe.
    subprocess.Popen(["cat"], stdin=process.stdout, stdout=subprocess.DEVNULL)
    return Emulator(process, line[len(prefix):])


def official_cli():
    """The argv prefix that runs the official CLI, or None (saying why)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        print("bench: node or npm is not installed: the official CLI is not measured",
              file=sys.stderr)
        return None
    entry = OFFICIAL_DIR / "node_modules" / "codika" / "dist" / "cli" / "index.js"
    if not entry.exists():
        OFFICIAL_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error",
                        "--prefix", str(OFFICIAL_DIR), OFFICIAL_PACKAGE], check=True)
    # Its shebang asks for Node 22.6's --experimental-strip-types; the
    # compiled entry script itself runs on the Node we have.
    return [node, str(entry)]


def run_once(program, argv, env, cwd):
    """(seconds, peak RSS in KiB) of one whole process; exits on failure."""
    full = [*program, *argv]
    launched = subprocess.run([SPAWN, *full], env=env, cwd=cwd, capture_output=True,
                              text=True, check=True)
    nanos, rss_kib, code = (int(x) for x in launched.stdout.split())
    if code != 0:
        shown = subprocess.run(full, env=env, cwd=cwd, capture_output=True, text=True)
        sys.exit(f"bench: `{' '.join(argv)}` failed (exit {shown.returncode}):\n"
                 f"{shown.stdout}{shown.stderr}")
    return nanos / 1e9, rss_kib


def measure(program, argv, setup, env, cwd, runs, warmup):
    times, peaks = [], []
    for i in range(warmup + runs):
        if setup:
            run_once(program, setup, env, cwd)
        elapsed, rss = run_once(program, argv, env, cwd)
        if i >= warmup:
            times.append(elapsed * 1000)
            peaks.append(rss)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "rss_kib": max(peaks),
        "runs": runs,
    }


def report(rows, floor, args, with_official, latency_rows=()):
    lines = []
    out = lines.append
    head = "| command | codika median (min–max) | codika peak RSS |"
    rule = "|---|---:|---:|"
    if with_official:
        head += " official median (min–max) | official peak RSS | faster | less memory |"
        rule += "---:|---:|---:|---:|"
    out(head)
    out(rule)
    for name, ours, theirs in rows:
        line = f"| `{name}` | {span(ours)} | {mib(ours['rss_kib'])} |"
        if theirs:
            line += (f" {span(theirs)} | {mib(theirs['rss_kib'])} |"
                     f" {theirs['median'] / ours['median']:.0f}× |"
                     f" {theirs['rss_kib'] / ours['rss_kib']:.0f}× |")
        out(line)
    out("")
    runs = f"{args.runs} runs" + (f" (official CLI: {args.official_runs})" if with_official else "")
    out(f"Each command: {args.warmup} warm-up runs, then {runs}; peak RSS is the largest of the runs.")
    out(f"Machine: {machine()}.")
    out(f"Floor: starting `/bin/true` takes {span(floor)}, {mib(floor['rss_kib'])} here.")

    size = None
    if args.static and Path(args.static).exists():
        size = Path(args.static).stat().st_size
        out(f"Static binary: {size:,} bytes ({size / MIB:.2f} MiB), {args.static}.")
    crates = crate_count()
    if crates:
        out(f"Dependency tree: {crates} crates besides codika (`cargo tree -e normal`).")
    out("")
    out("Targets:")
    by_name = {name: (ours, theirs) for name, ours, theirs in rows}
    checks = []
    if size is not None:
        checks.append((f"static stripped binary ≤ {MAX_STATIC_SIZE / MIB:g} MiB: {size / MIB:.2f} MiB",
                       size <= MAX_STATIC_SIZE))
    version = by_name["--version"][0]["median"]
    checks.append((f"--version median ≤ {MAX_VERSION_MEDIAN_MS} ms: {version:.2f} ms",
                   version <= MAX_VERSION_MEDIAN_MS))
    ours, theirs = by_name["integration list"]
    if theirs:
        speedup = theirs["median"] / ours["median"]
        checks.append((f"integration list ≥ {MIN_LIST_SPEEDUP:.0f}× faster: {speedup:.0f}×",
                       speedup >= MIN_LIST_SPEEDUP))
        ratio = min(t["rss_kib"] / o["rss_kib"] for _, o, t in rows if t)
        checks.append((f"peak RSS ≤ 1/{MIN_RSS_RATIO:.0f} of the official CLI's (every command): "
                       f"1/{ratio:.0f} at worst", ratio >= MIN_RSS_RATIO))
    for row, _, _ in LARGE_CONFIGS:
        big_config = by_name.get(row)
        if big_config:
            rss = big_config[0]["rss_kib"]
            what = row.removeprefix(LARGE).removeprefix("integration check, ")
            checks.append((f"integration check on an {what} ≤ 10× its size in peak RSS "
                           f"(80 MiB): {mib(rss)}", rss <= 80 * 1024))
    for text, ok in checks:
        out(f"- {'met' if ok else 'MISSED'}: {text}")

    if latency_rows:
        out("")
        out(f"Round trips, through local proxies adding {args.latency_ms:g} ms each way "
            "(the API and the public key on two hosts, as on the live platform):")
        out("")
        out("| what | codika median (min–max) | official median (min–max) |")
        out("|---|---:|---:|")
        for name, ours, theirs in latency_rows:
            out(f"| `{name}` | {span(ours)} | {span(theirs) if theirs else '— (no apply)'} |")
        out("")
        applied = latency_rows[0][1]["median"]
        ours_sets, theirs_sets = latency_rows[1][1], latency_rows[1][2]
        line = f"apply is {ours_sets['median'] / applied:.1f}× faster than our 8 sets"
        if theirs_sets:
            line += f", {theirs_sets['median'] / applied:.0f}× faster than the official CLI's"
        out(f"{line}; each run starts from the seed (no integration), "
            f"{args.latency_runs} runs (official CLI: {args.official_latency_runs}) after one warm-up.")

    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text)


def span(m):
    return f"{m['median']:.1f} ms ({m['min']:.1f}–{m['max']:.1f})"


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / MIB:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    node = ""
    if shutil.which("node"):
        node = ", Node " + subprocess.run(["node", "--version"], capture_output=True,
                                          text=True).stdout.strip()
    return (f"{cpu}, {os.cpu_count()} cores{memory}, Linux {platform.release()}{node}, "
            f"{time.strftime('%Y-%m-%d')}")


def crate_count():
    try:
        tree = subprocess.run(
            ["cargo", "tree", "-e", "normal", "-p", "codika", "--prefix", "none"],
            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    crates = {line.split(" (")[0] for line in tree.splitlines() if line.strip()}
    return len(crates) - 1


if __name__ == "__main__":
    main()
