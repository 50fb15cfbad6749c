package middleware_test

import (
	"bytes"
	"crypto/rsa"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// TestReadBody checks the limit with a declared and an unknown length.
func TestReadBody(t *testing.T) {
	t.Parallel()
	const limit = 3000
	for _, tt := range []struct {
		name     string
		size     int
		declared bool
		wantErr  bool
	}{
		{"empty declared", 0, true, false},
		{"empty unknown", 0, false, false},
		{"small unknown", 10, false, false},
		{"at limit declared", limit, true, false},
		{"at limit unknown (several chunks)", limit, false, false},
		{"over limit declared", limit + 1, true, true},
		{"over limit unknown", limit + 1, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := bytes.Repeat([]byte("abcdefg"), tt.size/7+1)[:tt.size]
			declared := int64(-1)
			if tt.declared {
				declared = int64(tt.size)
			}
			got, err := middleware.ReadBody(onlyReader{bytes.NewReader(data)}, declared, limit)
			if tt.wantErr {
				if !errors.Is(err, middleware.ErrBodyTooLarge) {
					t.Errorf("err = %v, want ErrBodyTooLarge", err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("ReadBody = %d bytes, %v; want the %d bytes", len(got), err, len(data))
			}
		})
	}
	if _, err := middleware.ReadBody(strings.NewReader("short"), 10, limit); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("body shorter than declared: err = %v, want io.ErrUnexpectedEOF", err)
	}
}

// TestVerifierLimitAndSnapshot checks a body over MaxBodyBytes is refused
// and a failure's body snapshot is a copy of at most MaxErrorBody bytes.
func TestVerifierLimitAndSnapshot(t *testing.T) {
	t.Parallel()
	store, err := signer.NewKeyStore(map[string]*rsa.PublicKey{testPlatformSerial: &key(t, "platform_key").PublicKey})
	if err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("x"), 3*middleware.MaxErrorBody)
	answer := func(declared int64) http.RoundTripper {
		return transportFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{}, ContentLength: declared,
				Body: io.NopCloser(bytes.NewReader(big)), Request: r}, nil
		})
	}
	req, _ := http.NewRequest("GET", "https://api.mch.weixin.qq.com/v3/x", nil)

	limited := middleware.NewVerifier(middleware.VerifierConfig{Verifier: store, MaxBodyBytes: 1000})
	for _, declared := range []int64{int64(len(big)), -1} {
		if _, err := limited(answer(declared)).RoundTrip(req); !errors.Is(err, middleware.ErrBodyTooLarge) {
			t.Errorf("declared %d: err = %v, want ErrBodyTooLarge", declared, err)
		}
	}

	_, err = middleware.NewVerifier(middleware.VerifierConfig{Verifier: store})(answer(int64(len(big)))).RoundTrip(req)
	ve, ok := errors.AsType[*signer.VerificationError](err)
	if !ok {
		t.Fatalf("err = %v, want a *signer.VerificationError", err)
	}
	if len(ve.Body) != middleware.MaxErrorBody || cap(ve.Body) != middleware.MaxErrorBody {
		t.Errorf("snapshot len %d cap %d, want a copy of %d bytes (not a window on the whole body)", len(ve.Body), cap(ve.Body), middleware.MaxErrorBody)
	}
}
