package middleware_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// TestWithSignedBodyCopies checks the bytes given to WithSignedBody are
// copied: a later change by the caller does not change what is signed.
func TestWithSignedBodyCopies(t *testing.T) {
	t.Parallel()
	meta := []byte(`{"filename":"a.gif"}`)
	ctx := middleware.WithSignedBody(context.Background(), meta)
	copy(meta, "XXXXXXXXXXX")

	var auth string
	next := transportFunc(func(r *http.Request) (*http.Response, error) {
		auth = r.Header.Get("Authorization")
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	req, _ := http.NewRequestWithContext(ctx, "POST", "https://api.mch.weixin.qq.com/v3/merchant-service/images/upload", strings.NewReader("multipart"))
	if _, err := middleware.NewSigner(merchantSigner(t))(next).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	a, err := signer.ParseAuthorization(auth)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := strconv.ParseInt(a.Timestamp, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	msg := signer.RequestMessage("POST", "/v3/merchant-service/images/upload", ts, a.Nonce, []byte(`{"filename":"a.gif"}`))
	if err := signer.VerifySignature(&key(t, "merchant_key").PublicKey, msg, a.Signature); err != nil {
		t.Errorf("signature is not over the original meta JSON: %v", err)
	}
}

type otherKey struct{}

// TestWithoutVerificationScoped checks the switch applies only to the
// context carrying it.
func TestWithoutVerificationScoped(t *testing.T) {
	t.Parallel()
	store, err := signer.NewKeyStore(nil)
	if err != nil {
		t.Fatal(err)
	}
	rt := middleware.NewVerifier(middleware.VerifierConfig{Verifier: store})(transportFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("x"))}, nil
	}))
	skip := middleware.WithoutVerification(context.Background())
	for _, tc := range []struct {
		ctx     context.Context
		wantErr bool
	}{{skip, false}, {context.Background(), true}, {context.WithValue(skip, otherKey{}, 1), false}} {
		req, _ := http.NewRequestWithContext(tc.ctx, "GET", "https://api.mch.weixin.qq.com/v3/x", nil)
		resp, err := rt.RoundTrip(req)
		if (err != nil) != tc.wantErr {
			t.Errorf("error = %v, want error %v", err, tc.wantErr)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
}
