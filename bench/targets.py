#!/usr/bin/env python3
"""Size and start-up time of each static build, side by side.

`make bench` runs this after building the x86_64 musl binary (the default),
the aarch64 musl one and the x86_64 glibc one. Start-up is `codika
--version` as a whole process (fork, exec, run, exit), timed by the
launcher built from bench/spawn.rs, median (min-max) of --runs runs; the
aarch64 binary runs under qemu-aarch64 (user-mode emulation), so its time
is qemu's start-up plus the emulated run, not a native aarch64 one.
Checks the 2.5 MiB ceiling of the x86_64 musl binary (issue 20).
"""

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

MIB = 1024 * 1024
MAX_MUSL_SIZE = 2.5 * MIB


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spawn", required=True, help="the launcher built from bench/spawn.rs")
    parser.add_argument("--musl", required=True, help="the x86_64 musl binary")
    parser.add_argument("--aarch64", required=True, help="the aarch64 musl binary")
    parser.add_argument("--glibc", required=True, help="the x86_64 glibc static binary")
    parser.add_argument("--qemu", required=True, help="qemu-aarch64 (user mode)")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args()

    rows = [
        ("x86_64-unknown-linux-musl", args.musl, []),
        ("aarch64-unknown-linux-musl (under qemu)", args.aarch64, [args.qemu]),
        ("x86_64-unknown-linux-gnu (glibc static)", args.glibc, []),
    ]
    lines = [
        "| build | bytes | MiB | `--version` start-up, median (min–max) | peak RSS |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, binary, runner in rows:
        size = Path(binary).stat().st_size
        times, peaks = [], []
        for i in range(args.warmup + args.runs):
            out = subprocess.run([args.spawn, *runner, binary, "--version"],
                                 capture_output=True, text=True, check=True).stdout
            nanos, rss_kib, code = (int(x) for x in out.split())
            if code != 0:
                sys.exit(f"bench: {binary} --version exited {code}")
            if i >= args.warmup:
                times.append(nanos / 1e6)
                peaks.append(rss_kib)
        lines.append(f"| {name} | {size:,} | {size / MIB:.2f} | "
                     f"{statistics.median(times):.2f} ms ({min(times):.2f}–{max(times):.2f}) | "
                     f"{max(peaks) / 1024:.1f} MiB |")
    musl = Path(args.musl).stat().st_size
    ok = musl <= MAX_MUSL_SIZE
    lines.append("")
    lines.append(f"- {'met' if ok else 'MISSED'}: x86_64 musl binary ≤ 2.5 MiB: "
                 f"{musl:,} bytes ({musl / MIB:.2f} MiB)")
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
