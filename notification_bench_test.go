package wechatpay_test

import (
	"context"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// BenchmarkParseNotification verifies and decrypts a callback whose
// resource is 1 KiB, through the library ("parse") and with nothing but the
// standard library's RSA verify and AES-GCM open over pre-extracted fields
// ("baseline"), in the same run.
func BenchmarkParseNotification(b *testing.B) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	srv := wechatpaytest.NewServer(wechatpaytest.WithClock(clock))
	defer srv.Close()
	client, err := srv.Client(func(c *wechatpay.Config) { c.Clock = clock })
	if err != nil {
		b.Fatal(err)
	}
	resource := txResource()
	resource["attach"] = strings.Repeat("a", 1024-len(mustJSON(b, resource))-len(`,"attach":""`))
	if n := len(mustJSON(b, resource)); n != 1024 {
		b.Fatalf("resource is %d bytes", n)
	}
	req, err := srv.NewNotifyRequest(context.Background(), "http://merchant.test/", "TRANSACTION.SUCCESS", resource)
	if err != nil {
		b.Fatal(err)
	}
	header, body := req.Header, readBody(req)
	ctx := context.Background()

	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n, err := client.ParseNotificationBytes(ctx, header, body)
			if err != nil || len(n.Plaintext()) != 1024 {
				b.Fatal(err)
			}
		}
	})

	var env struct {
		Resource struct {
			Nonce          string `json:"nonce"`
			Ciphertext     string `json:"ciphertext"`
			AssociatedData string `json:"associated_data"`
		} `json:"resource"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		b.Fatal(err)
	}
	pub, key := srv.PlatformKey(), []byte(srv.APIv3Key())
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if pt := rawVerifyDecrypt(b, pub, key, header.Get("Wechatpay-Timestamp"), header.Get("Wechatpay-Nonce"), header.Get("Wechatpay-Signature"),
				body, env.Resource.Nonce, env.Resource.AssociatedData, env.Resource.Ciphertext); len(pt) != 1024 {
				b.Fatal("baseline decrypted", len(pt))
			}
		}
	})
}

// rawVerifyDecrypt is the least work a callback needs: one RSA PKCS#1 v1.5
// SHA-256 verification and one AES-256-GCM open.
func rawVerifyDecrypt(b *testing.B, pub *rsa.PublicKey, key []byte, ts, nonce, sig string, body []byte, gcmNonce, aad, ct string) []byte {
	msg := make([]byte, 0, len(ts)+len(nonce)+len(body)+3)
	msg = append(append(append(append(append(append(msg, ts...), '\n'), nonce...), '\n'), body...), '\n')
	digest := sha256.Sum256(msg)
	s, _ := base64.StdEncoding.DecodeString(sig)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], s); err != nil {
		b.Fatal(err)
	}
	block, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(block)
	raw, _ := base64.StdEncoding.DecodeString(ct)
	pt, err := aead.Open(nil, []byte(gcmNonce), raw, []byte(aad))
	if err != nil {
		b.Fatal(err)
	}
	return pt
}

func mustJSON(b testing.TB, v any) []byte {
	out, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	return out
}
