package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal (a progress bar there helps;
// in a pipe or a log file it would be noise).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress draws a download's progress bar on a terminal.
type progress struct {
	bar     *progressbar.ProgressBar
	w       io.Writer
	started bool
}

// newProgress returns a progress bar writing to stderr when stderr is a
// terminal, and nil otherwise (a nil *progress does nothing).
func newProgress(stderr io.Writer, description string) *progress {
	if !isTerminal(stderr) {
		return nil
	}
	return &progress{w: stderr, bar: progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetSpinnerChangeInterval(0), // no ticker goroutine
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionUseIECUnits(true),
	)}
}

// update is a wechatpay.WithProgress callback.
func (p *progress) update(written, total int64) {
	if p == nil {
		return
	}
	if !p.started {
		p.started = true
		if total >= 0 {
			p.bar.ChangeMax64(total)
		}
	}
	p.bar.Set64(written)
}

// done ends the bar's line: completed, or abandoned on failure.
func (p *progress) done(ok bool) {
	if p == nil {
		return
	}
	if ok {
		p.bar.Finish()
	} else {
		p.bar.Exit()
	}
	io.WriteString(p.w, "\n")
}
