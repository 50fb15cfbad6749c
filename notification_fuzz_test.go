package wechatpay_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// acceptAll is a Verifier that accepts every signature, so the fuzzer
// reaches the envelope parser and the decryption with any body.
type acceptAll struct{}

func (acceptAll) Verify(string, []byte, string) error { return nil }

// FuzzParseNotificationBytes feeds arbitrary bodies and header values to
// the callback parser, once with real verification and once past it. It
// must never panic, never succeed on a body it cannot decrypt, and every
// error must match one of the documented sentinels.
func FuzzParseNotificationBytes(f *testing.F) {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	for _, opts := range [][]wechatpaytest.NotifyOption{nil, {wechatpaytest.NotifyProbe()},
		{wechatpaytest.NotifyAlterResource(func(r *wechatpaytest.EncryptedResource) { r.Algorithm = "X" })}} {
		req, err := srv.NewNotifyRequest(ctx, "http://merchant.test/", "TRANSACTION.SUCCESS", txResource(), opts...)
		if err != nil {
			f.Fatal(err)
		}
		body := readBody(req)
		h := req.Header
		f.Add(body, h.Get("Wechatpay-Timestamp"), h.Get("Wechatpay-Nonce"), h.Get("Wechatpay-Signature"), h.Get("Wechatpay-Serial"))
	}
	f.Add([]byte(`{"resource":{"algorithm":"AEAD_AES_256_GCM","nonce":"","ciphertext":"","associated_data":""}}`), "0", "n", "s", "x")
	f.Add([]byte(`{"resource":null}`), "", "", "", "")

	real, err := srv.Client()
	if err != nil {
		f.Fatal(err)
	}
	lax, err := srv.Client(func(c *wechatpay.Config) { c.Verifier = acceptAll{} })
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, ts, nonce, sig, serial string) {
		h := http.Header{}
		for k, v := range map[string]string{"Wechatpay-Timestamp": ts, "Wechatpay-Nonce": nonce, "Wechatpay-Signature": sig, "Wechatpay-Serial": serial} {
			h.Set(k, v)
		}
		for _, c := range []*wechatpay.Client{real, lax} {
			n, err := c.ParseNotificationBytes(ctx, h, body)
			switch {
			case err == nil:
				if n == nil || n.Plaintext() == nil {
					t.Fatalf("success without a plaintext: %v", n)
				}
			case errors.Is(err, wechatpay.ErrVerification), errors.Is(err, wechatpay.ErrDecryption), errors.Is(err, wechatpay.ErrNotificationTooLarge):
			default:
				t.Fatalf("error matching no sentinel: %v", err)
			}
		}
	})
}
