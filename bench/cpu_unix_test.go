//go:build unix

package bench

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user plus system) this process has used so far.
// The server runs in another process, so this is the client's alone.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
