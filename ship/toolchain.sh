#!/usr/bin/env bash
# Installs what `make static TARGET=...` and the tests of the static
# binaries need, when it is missing, and nothing else: the Rust standard
# library for each target (rustup), the C compiler ring builds its assembly
# and C with and the linker (Debian packages: musl-tools for x86_64 musl,
# gcc-aarch64-linux-gnu for aarch64), qemu-user-static to run the aarch64
# binary (`qemu`), cargo-auditable (crates.io) that writes the dependency
# list into each binary (`auditable`), and auditable2cdx (crates.io, the
# same project) that turns that list into a CycloneDX SBOM (`sbom`).
# Usage: ship/toolchain.sh [TARGET | qemu | auditable | sbom]...
set -euo pipefail

packages=()
need_package() { # COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 || packages+=("$2")
}

for want in "$@"; do
    case "$want" in
    qemu)
        command -v qemu-aarch64-static >/dev/null 2>&1 || need_package qemu-aarch64 qemu-user-static
        ;;
    auditable)
        if ! cargo auditable --version >/dev/null 2>&1; then
            echo "ship/toolchain.sh: installing cargo-auditable from crates.io" >&2
            cargo install --locked cargo-auditable
        fi
        ;;
    sbom)
        if ! command -v auditable2cdx >/dev/null 2>&1; then
            echo "ship/toolchain.sh: installing auditable2cdx from crates.io" >&2
            cargo install --locked auditable2cdx
        fi
        ;;
    *-*)
        if [ ! -d "$(rustc --print sysroot)/lib/rustlib/$want/lib" ]; then
            command -v rustup >/dev/null 2>&1 || {
                echo "ship/toolchain.sh: the Rust standard library for $want is not installed and there is no rustup to add it" >&2
                exit 2
            }
            rustup target add "$want"
        fi
        case "$want" in
        x86_64-unknown-linux-musl) need_package musl-gcc musl-tools ;;
        aarch64-unknown-linux-musl | aarch64-unknown-linux-gnu) need_package aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu ;;
        esac
        ;;
    *)
        echo "ship/toolchain.sh: unknown request '$want'" >&2
        exit 2
        ;;
    esac
done

if [ "${#packages[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || {
        echo "ship/toolchain.sh: missing ${packages[*]} (Debian package names) and no apt-get to install them" >&2
        exit 2
    }
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "ship/toolchain.sh: installing ${packages[*]}" >&2
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi
