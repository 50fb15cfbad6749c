package middleware

import (
	"bytes"
	"io"
)

// byteBody is a response body over bytes already in memory: a
// bytes.Reader that closes (a no-op), in one allocation where
// io.NopCloser(bytes.NewReader(b)) takes two. Not for request bodies:
// net/http writes those in one go only when it recognises the reader (see
// setBody).
type byteBody struct{ bytes.Reader }

// Close implements io.Closer; it does nothing.
func (*byteBody) Close() error { return nil }

// newByteBody returns a fresh body reading b from the start.
func newByteBody(b []byte) io.ReadCloser {
	rb := new(byteBody)
	rb.Reset(b)
	return rb
}
