#!/bin/sh
# Runs one target for $2 seconds (default 600) on one core; stats in fuzz/logs/TARGET.log.
set -e
cd "$(dirname "$0")"
target=$1; seconds=${2:-600}
mkdir -p logs "corpus/$target" "artifacts/$target"
exec cargo +nightly fuzz run -s none "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -timeout=5 -rss_limit_mb=512 -max_len=65536 \
  -print_final_stats=1 -close_fd_mask=3 > "logs/$target.log" 2>&1
