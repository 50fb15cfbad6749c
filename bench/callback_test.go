package bench

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/notify"

	"github.com/wechatpay-chain/wechatpay"
)

// A callback parser takes the merchant's incoming *http.Request and ends
// with the decrypted resource decoded into a map, as notify.Handler does.
type callbackParser func(ctx context.Context, r *http.Request) (map[string]any, error)

// newCallbackRequest makes the incoming request for n; body reset before
// every parse (a fresh reader, as a server gives each request).
func newCallbackRequest(n notification) *http.Request {
	r, err := http.NewRequest(http.MethodPost, "https://merchant.example/wxpay/notify", nil)
	if err != nil {
		panic(err) // a constant URL
	}
	r.Header = n.Header.Clone()
	return r
}

func withBody(r *http.Request, body []byte) *http.Request {
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	return r
}

// floorCallback is contestant (a) for callbacks: read, verify the headers,
// decode the envelope, open the AES-GCM resource, decode it.
func floorCallback() (callbackParser, error) {
	block, err := aes.NewCipher([]byte(srv.APIv3Key))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return func(_ context.Context, r *http.Request) (map[string]any, error) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		if err := verifyAnswer(r.Header, body, srv.PlatformSerial, srv.platformKey); err != nil {
			return nil, err
		}
		var env struct {
			Resource struct {
				Algorithm      string `json:"algorithm"`
				Ciphertext     string `json:"ciphertext"`
				AssociatedData string `json:"associated_data"`
				Nonce          string `json:"nonce"`
			} `json:"resource"`
		}
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, err
		}
		res := env.Resource
		if res.Algorithm != "AEAD_AES_256_GCM" {
			return nil, fmt.Errorf("algorithm %q", res.Algorithm)
		}
		ct, err := base64.StdEncoding.DecodeString(res.Ciphertext)
		if err != nil {
			return nil, err
		}
		if len(res.Nonce) != aead.NonceSize() {
			return nil, errors.New("bad nonce")
		}
		plain, err := aead.Open(ct[:0], []byte(res.Nonce), ct, []byte(res.AssociatedData))
		if err != nil {
			return nil, err
		}
		var m map[string]any
		return m, json.Unmarshal(plain, &m)
	}, nil
}

// officialCallback is contestant (c): notify.Handler with the public key
// verifier.
func officialCallback() (callbackParser, error) {
	h, err := notify.NewRSANotifyHandler(srv.APIv3Key, verifiers.NewSHA256WithRSAPubkeyVerifier(srv.PlatformSerial, *srv.platformKey))
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, r *http.Request) (map[string]any, error) {
		var m map[string]any
		_, err := h.ParseNotifyRequest(ctx, r, &m)
		return m, err
	}, nil
}

// oursCallback is contestant (b): Client.ParseNotification, then Decode of
// the decrypted resource into a map (what notify.Handler does for (c)).
func oursCallback() (callbackParser, error) {
	c, err := wechatpay.NewClient(wechatpay.Config{
		MchID:      srv.MchID,
		Serial:     srv.MerchantSerial,
		PrivateKey: srv.merchantKey,
		Certs:      map[string]*rsa.PublicKey{srv.PlatformSerial: srv.platformKey},
		APIv3Key:   srv.APIv3Key,
		BaseURL:    srv.FastURL,
	})
	if err != nil {
		return nil, err
	}
	return func(_ context.Context, r *http.Request) (map[string]any, error) {
		n, err := c.ParseNotification(r)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		return m, n.Decode(&m)
	}, nil
}
