package transfer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"errors"
	"io"
	"strings"
	"testing"
)

// shortWriter accepts at most n bytes per call and reports no error.
type shortWriter struct{ n int }

func (w shortWriter) Write(p []byte) (int, error) { return min(len(p), w.n), nil }

func TestMeter(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	var calls [][2]int64
	m := &Meter{W: &out, Hash: sha1.New(), Total: 11, Progress: func(w, tot int64) { calls = append(calls, [2]int64{w, tot}) }}
	n, err := Copy(m, strings.NewReader("hello world"))
	if err != nil || n != 11 || out.String() != "hello world" || m.Written() != 11 {
		t.Fatalf("Copy: %d %v %q", n, err, out.String())
	}
	if want := sha1.Sum([]byte("hello world")); !bytes.Equal(m.Hash.Sum(nil), want[:]) {
		t.Error("hash does not cover the bytes written")
	}
	if len(calls) == 0 || calls[len(calls)-1] != [2]int64{11, 11} {
		t.Errorf("progress calls %v", calls)
	}

	// A short write is an error, and only the accepted bytes are hashed.
	h := sha1.New()
	m = &Meter{W: shortWriter{3}, Hash: h}
	if _, err := m.Write([]byte("hello")); !errors.Is(err, io.ErrShortWrite) || m.Written() != 3 {
		t.Errorf("short write: %v, written %d", err, m.Written())
	}
	if want := sha1.Sum([]byte("hel")); !bytes.Equal(h.Sum(nil), want[:]) {
		t.Error("hash covers bytes the writer refused")
	}
}

func TestGzipDetection(t *testing.T) {
	t.Parallel()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("bill"))
	zw.Close()
	for _, tc := range []struct {
		in   []byte
		want bool
	}{{gz.Bytes(), true}, {[]byte("bill"), false}, {[]byte{0x1f}, false}, {nil, false}} {
		r := bufio.NewReader(bytes.NewReader(tc.in))
		if got := IsGzip(r); got != tc.want {
			t.Errorf("IsGzip(%q) = %t", tc.in, got)
		}
		if rest, _ := io.ReadAll(r); !bytes.Equal(rest, tc.in) {
			t.Errorf("IsGzip consumed bytes of %q", tc.in)
		}
	}
	zr, err := Gunzip(bytes.NewReader(gz.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(zr); err != nil || string(b) != "bill" {
		t.Errorf("Gunzip: %q %v", b, err)
	}
	if _, err := Gunzip(strings.NewReader("not gzip")); err == nil {
		t.Error("Gunzip of plain text succeeded")
	}
	// A truncated gzip file fails at EOF (its CRC and size are missing).
	zr, _ = Gunzip(bytes.NewReader(gz.Bytes()[:gz.Len()-4]))
	if _, err := io.ReadAll(zr); err == nil {
		t.Error("truncated gzip read without error")
	}
}
