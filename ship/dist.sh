#!/usr/bin/env bash
# make dist: writes dist/ from the static binaries already built (make
# static-all): for each target a codika-VERSION-TARGET.tar.gz holding the
# binary, codika.1, the bash, zsh and fish completion scripts and the
# README; SHA256SUMS over the archives; and a CycloneDX SBOM per target
# (codika-VERSION-TARGET.cdx.json), made by auditable2cdx from the
# dependency list cargo-auditable embedded in the binary, so it lists what
# was linked in, not all that Cargo.lock names.
# The archives are reproducible too: names sorted, owner root, every mtime
# the commit's time, gzip without a name or time stamp.
# Usage: ship/dist.sh TARGET...
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
mtime=$(git log -1 --format=%ct 2>/dev/null || echo 0)
# The man page and completion scripts come from the binary that runs here.
host=target/x86_64-unknown-linux-musl/release/codika
stage=target/dist-stage
rm -rf dist "$stage"
mkdir -p dist "$stage"

for target in "$@"; do
    binary=target/$target/release/codika
    [ -x "$binary" ] || { echo "ship/dist.sh: no $binary (make static TARGET=$target)" >&2; exit 2; }
    name=codika-$version-$target
    dir=$stage/$name
    mkdir -p "$dir/completions"
    cp "$binary" "$dir/codika"
    "$host" man > "$dir/codika.1"
    "$host" completion bash > "$dir/completions/codika.bash"
    "$host" completion zsh > "$dir/completions/_codika"
    "$host" completion fish > "$dir/completions/codika.fish"
    cp README.md "$dir/README.md"
    chmod 755 "$dir/codika"
    chmod 644 "$dir/codika.1" "$dir/README.md" "$dir"/completions/*
    tar --sort=name --mtime="@$mtime" --owner=0 --group=0 --numeric-owner \
        -C "$stage" -cf - "$name" | gzip -9 -n > "dist/$name.tar.gz"
    auditable2cdx "$binary" > "dist/$name.cdx.json"
done

(cd dist && sha256sum -- *.tar.gz > SHA256SUMS && sha256sum -c --quiet SHA256SUMS)
ls -l dist
