package transfer

import (
	"hash"
	"io"
)

// Meter is an io.Writer that writes to W and, for the bytes W accepted,
// feeds Hash (when not nil), counts them and calls Progress (when not nil)
// with the running count and Total. It is not safe for concurrent use.
type Meter struct {
	W        io.Writer
	Hash     hash.Hash
	Progress func(written, total int64)
	Total    int64 // passed to Progress; -1 when unknown

	written int64
}

// Write implements io.Writer.
func (m *Meter) Write(p []byte) (int, error) {
	n, err := m.W.Write(p)
	if n > 0 {
		if m.Hash != nil {
			m.Hash.Write(p[:n]) // a hash.Hash never returns an error
		}
		m.written += int64(n)
		if m.Progress != nil {
			m.Progress(m.written, m.Total)
		}
	}
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	return n, err
}

// Written returns the number of bytes W accepted so far.
func (m *Meter) Written() int64 { return m.written }
