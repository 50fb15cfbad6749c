package transfer

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
)

// BufferSize is the size of the one buffer Copy uses.
const BufferSize = 64 << 10

// readerOnly hides every method but Read, so io.CopyBuffer uses the given
// buffer instead of a WriterTo or ReaderFrom that may allocate its own.
type readerOnly struct{ r io.Reader }

func (r readerOnly) Read(p []byte) (int, error) { return r.r.Read(p) }

// writerOnly hides every method but Write, for the same reason.
type writerOnly struct{ w io.Writer }

func (w writerOnly) Write(p []byte) (int, error) { return w.w.Write(p) }

// Copy copies src to dst through one buffer of BufferSize bytes and
// returns the bytes copied.
func Copy(dst io.Writer, src io.Reader) (int64, error) {
	buf := make([]byte, BufferSize)
	return io.CopyBuffer(writerOnly{dst}, readerOnly{src}, buf)
}

// gzipMagic is the first two bytes of every gzip member (RFC 1952).
var gzipMagic = [2]byte{0x1f, 0x8b}

// IsGzip reports whether r starts with the gzip magic bytes, without
// consuming them.
func IsGzip(r *bufio.Reader) bool {
	head, err := r.Peek(2)
	return err == nil && head[0] == gzipMagic[0] && head[1] == gzipMagic[1]
}

// Gunzip returns a reader of the decompressed bytes of r (multi-member
// gzip included). The gzip trailer's CRC-32 and size are checked at EOF.
func Gunzip(r io.Reader) (io.ReadCloser, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a gzip file: %w", err)
	}
	return zr, nil
}
