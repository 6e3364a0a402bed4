# The two commands of the README: `make demo` and `make test`.
CARGO ?= cargo
SHELL := bash
EMULATOR := target/debug/codika-emulator

.PHONY: build test demo emulator lint fmt clean

build:
	$(CARGO) build --workspace

# Unit and end-to-end tests: every test starts its own emulator on port 0.
# The official Node CLI round trip runs when node and npm are installed.
# The last line adds up every test binary's result: "N passed, N failed".
test:
	@mkdir -p target
	@set -o pipefail; $(CARGO) test --workspace 2>&1 | tee target/test.log
	@awk '/^test result:/ { p += $$4; f += $$6 } END { printf "%d passed, %d failed\n", p, f }' target/test.log

# Starts the emulator on a free port, runs set -> list -> delete (both
# phases) -> schema with the CLI, stops it.
demo: build
	@sh emulator/demo.sh target/debug

# The emulator in the foreground on 127.0.0.1:8787, for trying things by hand.
emulator: build
	$(EMULATOR)

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
