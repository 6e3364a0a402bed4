# The two commands of the README: `make demo` and `make test`.
CARGO ?= cargo
SHELL := bash
EMULATOR := target/debug/codika-emulator

# The static binary (`make static`, `make static TARGET=aarch64-unknown-linux-musl`).
# musl by default: its resolver reads /etc/hosts and /etc/resolv.conf itself
# and never loads an NSS module, where glibc's loads the host's libnss_*.so.2
# (and libc.so.6 with it) whatever the binary was linked with; it is also
# smaller and starts faster (README, One static binary).
# `make static TARGET=x86_64-unknown-linux-gnu` still builds the glibc one.
TARGET ?= x86_64-unknown-linux-musl
AARCH64 := aarch64-unknown-linux-musl
STATIC = target/$(TARGET)/release/codika
STATIC_AARCH64 := target/$(AARCH64)/release/codika
# crt-static links the C library in (musl's default, not glibc's). The
# getrandom backend calls the C library's getrandom(2) directly: its default looks the function up at run
# time, which fails in a static binary and falls back to /dev/urandom, absent
# in a bare container or chroot. relocation-model=static links a classic
# static executable, not a static PIE: no relocations to apply at start and
# 104 KiB less (3,204,144 -> 3,100,400 bytes); the stack, heap and mmap
# areas stay randomised, the code does not. --no-eh-frame-hdr drops the
# 35 KiB lookup table for unwinding: with panic=abort nothing unwinds, and a
# RUST_BACKTRACE still prints (the static unwinder registers .eh_frame itself).
# Together they save about 139 KiB.
# --remap-path-prefix: the sources of crates.io dependencies are named
# /crates/NAME-VERSION/... in panic locations, not by the build machine's path
# (the checkout's own files are relative already), so that the same commit
# gives the same bytes wherever it is built (make dist-verify). The short
# name saves 8 KiB over /cargo/registry/src/index.crates.io-1949cf8c6b5b557f/
# (about 190 locations); rustc applies the last prefix that matches, so
# anything else under CARGO_HOME (a git dependency, another index) is
# still named /cargo/....
# curve25519_dalek_backend="serial": HPKE's X25519 uses the portable 64-bit
# field arithmetic (what aarch64 and any x86_64 without AVX2 run anyway), not
# also an AVX2 copy picked at run time: 24 KiB less, one scalar
# multiplication per sealed field a few microseconds slower, constant-time
# either way.
# --sort-section=alignment: the linker lays each output section's pieces out
# most-aligned first, so that ring's page-aligned P-256 table opens .rodata
# instead of being padded up to a page boundary in the middle of it: 6 KiB
# less padding, nothing else moved but where things sit.
CARGO_HOME_DIR := $(or $(CARGO_HOME),$(HOME)/.cargo)
CRATES_IO_SRC := $(CARGO_HOME_DIR)/registry/src/index.crates.io-1949cf8c6b5b557f
STATIC_RUSTFLAGS := -C target-feature=+crt-static -C relocation-model=static \
	-C link-arg=-Wl,--no-eh-frame-hdr -C link-arg=-Wl,--sort-section=alignment \
	--cfg getrandom_backend="linux_getrandom" \
	--cfg curve25519_dalek_backend="serial" \
	--remap-path-prefix=$(CARGO_HOME_DIR)=/cargo --remap-path-prefix=$(CRATES_IO_SRC)=/crates
# The cross C compiler (ring) and linker for aarch64, from Debian's gcc-aarch64-linux-gnu.
CROSS_ENV := CC_aarch64_unknown_linux_musl=aarch64-linux-gnu-gcc \
	CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER=aarch64-linux-gnu-gcc

.PHONY: build test demo emulator static static-all bench bench-extract lint fmt clean dist dist-verify

build:
	$(CARGO) build --workspace

# Unit and end-to-end tests: every test starts its own emulator on port 0.
# The official Node CLI round trip runs when node and npm are installed; the
# static binary is run alone in an empty chroot (tests/static_jail.rs).
# A test that cannot run here (no root, no node or npm, no zsh, fish, groff
# or man) skips: it appends a line to CODIKA_SKIP_LOG (tests/support/skip.rs).
# The last line adds up every test binary's result, skips out of the passed:
# "N passed, N failed, N skipped", the skipped tests listed above it. With
# CI=true (root, node and npm are there; .ci/run installs the shells, groff
# and man) a skip fails the run.
SKIP_LOG := $(CURDIR)/target/skipped.log
test: static-all
	@ship/toolchain.sh qemu
	@mkdir -p target
	@: > "$(SKIP_LOG)"
	@set -o pipefail; CODIKA_SKIP_LOG="$(SKIP_LOG)" CODIKA_STATIC_BIN="$(CURDIR)/$(STATIC)" \
		CODIKA_AARCH64_BIN="$(CURDIR)/$(STATIC_AARCH64)" \
		$(CARGO) test --workspace --features codika/fuzzing,codika-emulator/fuzzing --no-fail-fast 2>&1 | tee target/test.log
	@sed 's/^/skipped: /' "$(SKIP_LOG)"
	@awk -v s="$$(wc -l < "$(SKIP_LOG)")" '/^test result:/ { p += $$4; f += $$6 } END { printf "%d passed, %d failed, %d skipped\n", p - s, f, s }' target/test.log
	@if [ "$$CI" = true ] && [ -s "$(SKIP_LOG)" ]; then \
		echo "make test: $$(wc -l < "$(SKIP_LOG)") test(s) skipped with CI=true, where none may:" >&2; \
		sed 's/^/  /' "$(SKIP_LOG)" >&2; exit 1; \
	fi

# Starts the emulator on a free port, runs check (missing) -> set (config.ts
# too) -> check (ready) -> list -> delete (both phases) -> schema -> login ->
# whoami with the CLI, stops it.
demo: build
	@sh emulator/demo.sh target/debug

# The emulator in the foreground on 127.0.0.1:8787, for trying things by hand.
emulator: build
	$(EMULATOR)

# One self-contained binary: no shared libraries, no files needed at run time.
# Built with `cargo auditable`: the dependency list goes into the binary (a
# .dep-v0 section) for syft, trivy and grype. Missing targets, C toolchains
# and cargo-auditable are installed first (ship/toolchain.sh).
static:
	@ship/toolchain.sh $(TARGET) auditable
	$(CROSS_ENV) RUSTFLAGS='$(STATIC_RUSTFLAGS)' $(CARGO) auditable build --release --locked -p codika --target $(TARGET)
	@ls -l $(STATIC)

# TARGET and the aarch64 binary, one after the other (one release build at
# a time): what make test runs.
static-all:
	$(MAKE) static TARGET=$(TARGET)
	$(MAKE) static TARGET=$(AARCH64)

# dist/: per shipped target a codika-VERSION-TARGET.tar.gz (binary, codika.1,
# completion scripts, README), its CycloneDX SBOM, and SHA256SUMS (ship/dist.sh).
DIST_TARGETS := x86_64-unknown-linux-musl $(AARCH64)
dist:
	@ship/toolchain.sh sbom
	@for t in $(DIST_TARGETS); do $(MAKE) --no-print-directory static TARGET=$$t || exit; done
	ship/dist.sh $(DIST_TARGETS)

# Builds HEAD again from a fresh clone elsewhere and compares the binaries
# byte for byte (ship/dist-verify.sh); `VERIFY_TARGETS="$(DIST_TARGETS)"`
# checks aarch64 too, for one more cross build.
VERIFY_TARGETS ?= x86_64-unknown-linux-musl
dist-verify:
	@for t in $(VERIFY_TARGETS); do $(MAKE) --no-print-directory static TARGET=$$t || exit; done
	ship/dist-verify.sh $(VERIFY_TARGETS)

# Times whole processes of codika (static) and, with node and npm, of the
# official CLI against a release emulator; prints one table (README, Performance).
# Then the size and start-up time of each build side by side: x86_64 musl,
# aarch64 musl (under qemu) and x86_64 glibc (bench/targets.py).
bench: static
	$(CARGO) build --profile emulator --locked -p codika-emulator
	rustc --edition 2024 -O -o target/bench-spawn bench/spawn.rs
	python3 bench/run.py --codika $(STATIC) --static $(STATIC) \
		--emulator target/emulator/codika-emulator --spawn target/bench-spawn \
		--markdown target/bench.md
	$(MAKE) --no-print-directory static TARGET=$(AARCH64)
	$(MAKE) --no-print-directory static TARGET=x86_64-unknown-linux-gnu
	@ship/toolchain.sh qemu
	python3 bench/targets.py --spawn target/bench-spawn \
		--musl target/x86_64-unknown-linux-musl/release/codika --aarch64 $(STATIC_AARCH64) \
		--glibc target/x86_64-unknown-linux-gnu/release/codika \
		--qemu "$$(command -v qemu-aarch64-static || command -v qemu-aarch64)" \
		--markdown target/bench-targets.md

# Not a test: times extracting a cstm_* schema from a generated
# 5,000-line config.ts (release build; prints the mean of 20 runs).
bench-extract:
	$(CARGO) test --release --lib bench_extract -- --ignored --nocapture

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
