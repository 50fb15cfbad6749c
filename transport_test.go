package wechatpay_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"testing"

	"github.com/wechatpay-chain/wechatpay"
)

// TestDefaultTransportIsTheClients checks a client without Transport or
// HTTPClient pools its connections in a transport of its own, so its
// CloseIdleConnections cannot break another client's request that was
// about to reuse a connection of the shared http.DefaultTransport (seen as
// "http: CloseIdleConnections called" between parallel tests).
func TestDefaultTransportIsTheClients(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	cfg := wechatpay.Config{MchID: "1230000109", Serial: "ABC", PrivateKey: key,
		Certs: map[string]*rsa.PublicKey{"PUB_KEY_ID_0114232134912410000000000000": &key.PublicKey}}
	a, err := wechatpay.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := wechatpay.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ta, ok := a.Stack().Base().(*http.Transport)
	if !ok {
		t.Fatalf("base transport is %T, want *http.Transport", a.Stack().Base())
	}
	if ta == http.DefaultTransport || a.Stack().Base() == b.Stack().Base() {
		t.Error("clients share a base transport (http.DefaultTransport or each other's)")
	}
	custom := &http.Transport{}
	c, err := wechatpay.NewClient(func() wechatpay.Config { c := cfg; c.Transport = custom; return c }())
	if err != nil {
		t.Fatal(err)
	}
	if c.Stack().Base() != custom {
		t.Error("a configured Transport is not used as the base")
	}
}
