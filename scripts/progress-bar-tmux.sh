#!/usr/bin/env bash
# Shows the CLI's download progress bar in a real terminal (a tmux pane)
# and checks that it is absent when stderr is not a terminal.
#
#   scripts/progress-bar-tmux.sh          # builds the CLI, needs tmux
#   WECHATPAY_BIN=/path/to/wechatpay scripts/progress-bar-tmux.sh
#
# It starts "wechatpay mock" in the background, runs "wechatpay bill" in a
# detached tmux session, prints what the pane shows (tmux capture-pane),
# then runs the same command with stderr in a file. Exit 0 when the bar was
# on the terminal and not in the file. CI does not depend on it.
set -euo pipefail

command -v tmux >/dev/null || { echo "tmux is not installed (apt-get install -y tmux)" >&2; exit 2; }
work=$(mktemp -d)
session="wechatpay-progress-$$"
mock_pid=""
cleanup() {
	tmux kill-session -t "$session" 2>/dev/null || true
	if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

bin=${WECHATPAY_BIN:-}
if [ -z "$bin" ]; then
	bin="$work/wechatpay"
	(cd "$(dirname "$0")/.." && go build -o "$bin" ./cmd/wechatpay)
fi

# The mock, as its help shows, in the background.
"$bin" mock --addr 127.0.0.1:0 --dir "$work/keys" >"$work/env" 2>"$work/mock.log" &
mock_pid=$!
for _ in $(seq 100); do grep -q '^# listening' "$work/env" 2>/dev/null && break; sleep 0.1; done
grep -q '^# listening' "$work/env" || { echo "the mock did not start:" >&2; cat "$work/mock.log" >&2; exit 1; }

# In a terminal: the bar is drawn on stderr.
tmux new-session -d -s "$session" -x 120 -y 12 "bash --norc --noprofile"
tmux send-keys -t "$session" ". '$work/env'; '$bin' bill --date 2026-11-30 -o '$work/tty.csv'; echo EXIT=\$?" Enter
for _ in $(seq 100); do tmux capture-pane -p -t "$session" | grep -q '^EXIT=' && break; sleep 0.1; done
pane=$(tmux capture-pane -p -t "$session")
echo "---- tmux pane (stderr is a terminal) ----"
echo "$pane" | grep -v '^$'
echo "------------------------------------------"

# Not a terminal: stderr in a file.
set +e
( . "$work/env"; "$bin" bill --date 2026-11-30 -o "$work/file.csv" 2>"$work/stderr.txt" )
code=$?
set -e
echo "---- stderr to a file (not a terminal) ----"
cat "$work/stderr.txt"
echo "-------------------------------------------"

fail=0
echo "$pane" | grep -q '^EXIT=0' || { echo "FAIL: bill in the terminal did not exit 0" >&2; fail=1; }
echo "$pane" | grep -q 'downloading.*100%' || { echo "FAIL: no progress bar in the terminal" >&2; fail=1; }
[ "$code" -eq 0 ] || { echo "FAIL: bill with stderr in a file exited $code" >&2; fail=1; }
if grep -q -e 'downloading' -e '%' "$work/stderr.txt"; then echo "FAIL: progress bar written to a file" >&2; fail=1; fi
grep -q '^wrote [0-9]* bytes to .* (SHA-1 ok)$' "$work/stderr.txt" || { echo "FAIL: no summary line" >&2; fail=1; }
cmp -s "$work/tty.csv" "$work/file.csv" || { echo "FAIL: the two downloads differ" >&2; fail=1; }
[ "$fail" -eq 0 ] && echo "ok: progress bar on the terminal, none in the file"
exit "$fail"
