package wechatpaytest

import (
	"crypto/rand"
	"crypto/rsa"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestOptions(t *testing.T) {
	t.Parallel()
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	s := newServer(t,
		WithMchID("1900009191"),
		WithMerchantKey(otherKey(), "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"),
		WithPlatformKey(nil, "PUB_KEY_ID_0114232134912410000000000000"),
		WithAPIv3Key("0123456789abcdef0123456789abcdef"),
		WithClock(func() time.Time { return at }),
	)
	got := []string{s.MchID(), s.MerchantSerial(), s.PlatformSerial(), s.APIv3Key(), s.KeyMode().String()}
	want := []string{"1900009191", "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C", "PUB_KEY_ID_0114232134912410000000000000",
		"0123456789abcdef0123456789abcdef", "public key mode"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %q, want %q", got[i], want[i])
		}
	}
	if s.MerchantKey() != otherKey() {
		t.Error("WithMerchantKey ignored")
	}
	// Requests are checked against the configured merchant and clock.
	a := call(t, s, "POST", RouteNativePrepay, mustJSON(t, nativeOrder(s, "opt-1")))
	if a.status != 200 || a.header.Get(HeaderTimestamp) != "1893553445" {
		t.Errorf("%d %s ts=%s", a.status, a.body, a.header.Get(HeaderTimestamp))
	}

	c := newServer(t, WithKeyMode(CertificateMode), WithPlatformKey(nil, "7132D72A03E93CDDF8C03BBD1F37EEDF"))
	if c.PlatformSerial() != "7132D72A03E93CDDF8C03BBD1F37EEDF" || c.KeyMode().String() != "platform certificate mode" {
		t.Errorf("certificate serial %q", c.PlatformSerial())
	}
	// Generated keys are shared, serials are not.
	d := newServer(t)
	e := newServer(t)
	if d.PlatformSerial() == e.PlatformSerial() || d.MerchantSerial() == e.MerchantSerial() || d.APIv3Key() == e.APIv3Key() {
		t.Error("two servers share serials or APIv3 keys")
	}
}

func TestOptionErrors(t *testing.T) {
	t.Parallel()
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opt  Option
		want string
	}{
		{"short APIv3 key", WithAPIv3Key("short"), "32 characters"},
		{"bad public key id", WithPlatformKey(nil, "PUB_KEY_ID_abc"), "followed by digits"},
		{"lower-case certificate serial", Option(func(c *config) { c.mode = CertificateMode; c.platformSerial = "7132d72a" }), "upper-case hex"},
		{"odd certificate serial", Option(func(c *config) { c.mode = CertificateMode; c.platformSerial = "ABC" }), "even length"},
		{"leading 00", Option(func(c *config) { c.mode = CertificateMode; c.platformSerial = "00AB" }), "leading 00"},
		{"unknown key mode", WithKeyMode(KeyMode(7)), "unknown key mode"},
		{"merchant serial with a quote", WithMerchantKey(nil, `AB"CD`), "cannot be quoted"},
		{"empty mchid", WithMchID(""), "mchid"},
		{"1024-bit key", WithMerchantKey(small, ""), "1024 bits"},
		{"key without modulus", WithPlatformKey(&rsa.PrivateKey{}, ""), "no modulus"},
		{"dot base path", WithBasePath("/a/../b/"), "dot segment"},
		{"base path with a query", WithBasePath("/a?b"), "plain path"},
		{"same serials", Option(func(c *config) { c.merchantSerial = "PUB_KEY_ID_01"; c.platformSerial = "PUB_KEY_ID_01" }), "both"},
	}
	for _, tc := range tests {
		s, err := New(tc.opt)
		if err == nil {
			s.Close()
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not say %q", tc.name, err, tc.want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("NewServer with a bad option did not panic")
		}
	}()
	NewServer(WithAPIv3Key("short"))
}

func TestWithAddr(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	srv, err := New(WithAddr(addr))
	if err != nil {
		t.Fatalf("New(WithAddr(%q)): %v", addr, err)
	}
	defer srv.Close()
	if want := "http://" + addr + "/"; srv.URL != want {
		t.Errorf("URL = %q, want %q", srv.URL, want)
	}
	resp, err := http.Get(srv.URL + "v3/certificates")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned request on %s: status %d, want 401", addr, resp.StatusCode)
	}
	if _, err := New(WithAddr(addr)); err == nil {
		t.Error("a second server on the same address started")
	}
}
