package main

import (
	"bytes"
	"context"
	"os/exec"
	"testing"
	"time"
)

// TestProgressBarInTerminal runs scripts/progress-bar-tmux.sh: the bill
// command's progress bar is drawn in a tmux pane and absent when stderr is
// a file. It skips where tmux is not installed (CI does not need it).
func TestProgressBarInTerminal(t *testing.T) {
	t.Parallel()
	if binary == "" {
		t.Skip("needs the binary; not built in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "../../scripts/progress-bar-tmux.sh")
	cmd.Env = append(cleanEnv(nil), "WECHATPAY_BIN="+binary)
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("ok: progress bar on the terminal, none in the file")) {
		t.Fatalf("%v:\n%s", err, out)
	}
}

// TestNoProgressBarOffTerminal: a buffer is not a terminal, so no bar is
// made (and a nil bar is safe to use).
func TestNoProgressBarOffTerminal(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	p := newProgress(&buf, "downloading")
	if p != nil {
		t.Fatal("a progress bar for a bytes.Buffer")
	}
	p.update(1, 2)
	p.done(true)
	if buf.Len() != 0 {
		t.Errorf("wrote %q", buf.String())
	}
}
