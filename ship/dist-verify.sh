#!/usr/bin/env bash
# make dist-verify: builds HEAD a second time, from a fresh clone in another
# directory with an empty target directory, and compares each binary byte
# for byte with the one `make static` built here. A path of the build
# machine, a time stamp or an unordered map left in the binary would show
# as a difference. The checkout must hold no uncommitted change to tracked
# files (the second build is of HEAD).
# Usage: ship/dist-verify.sh TARGET...
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    echo "ship/dist-verify.sh: uncommitted changes; commit them first (the second build is of HEAD)" >&2
    exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/codika-verify.XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone -q --no-hardlinks . "$work/codika"
git -C "$work/codika" checkout -q --detach "$(git rev-parse HEAD)"

status=0
for target in "$@"; do
    here=target/$target/release/codika
    [ -f "$here" ] || { echo "ship/dist-verify.sh: no $here (make static TARGET=$target)" >&2; exit 2; }
    make --no-print-directory -C "$work/codika" static TARGET="$target" >"$work/build-$target.log" 2>&1 || {
        tail -n 30 "$work/build-$target.log" >&2
        exit 1
    }
    there=$work/codika/target/$target/release/codika
    if cmp -s "$here" "$there"; then
        echo "dist-verify: $target: the two builds are byte-identical ($(sha256sum < "$here" | cut -c1-16)..., $(stat -c %s "$here") bytes)"
    else
        echo "dist-verify: $target: the two builds differ: $(cmp "$here" "$there" | head -n 1)" >&2
        status=1
    fi
done
exit $status
