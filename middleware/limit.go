package middleware

import (
	"errors"
	"fmt"
	"io"
)

// DefaultMaxBodyBytes is the largest answer body the verifier reads into
// memory when VerifierConfig.MaxBodyBytes is zero: 8 MiB.
const DefaultMaxBodyBytes = 8 << 20

// ErrBodyTooLarge matches, with errors.Is, an answer whose body is larger
// than the configured limit. It is never worth retrying: the same request
// gets the same answer.
var ErrBodyTooLarge = errors.New("answer body over the size limit")

// maxChunk caps one read chunk of a body of unknown length, so that a body
// refused at the limit has cost at most the limit plus one chunk.
const maxChunk = 1 << 20

// ReadBody reads all of r, but at most limit bytes. declared is the
// announced length (http.Response.ContentLength; -1 when unknown). A body
// longer than limit is an error matching ErrBodyTooLarge; a declared length
// over the limit is refused before anything is read.
//
// Memory: a declared length costs one allocation of exactly that size; an
// unknown length is read in chunks (512 bytes doubling up to 1 MiB, never
// past limit+1) that are joined once at the end, so a body of n bytes
// costs about 2n, and a refused one about the limit.
func ReadBody(r io.Reader, declared, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	if declared > limit {
		return nil, fmt.Errorf("%w: Content-Length %d, limit %d bytes", ErrBodyTooLarge, declared, limit)
	}
	if declared >= 0 {
		buf := make([]byte, declared)
		if _, err := io.ReadFull(r, buf); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		var probe [1]byte
		if n, _ := r.Read(probe[:]); n > 0 {
			return nil, fmt.Errorf("%w: body longer than its Content-Length %d", ErrBodyTooLarge, declared)
		}
		return buf, nil
	}
	var chunks [][]byte
	var total int64
	size := int(min(512, limit+1))
	for {
		chunk := make([]byte, size)
		n, err := io.ReadFull(r, chunk)
		total += int64(n)
		if total > limit {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit)
		}
		chunks = append(chunks, chunk[:n])
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, err
		}
		// Never ask for more than one byte past the limit.
		size = int(min(int64(min(size*2, maxChunk)), limit-total+1))
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out, nil
}
