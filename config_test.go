package wechatpay_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// countingTransport counts the requests that reach the base transport.
type countingTransport struct {
	n    atomic.Int32
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

func TestConfigTransportIsTheBase(t *testing.T) {
	srv := newServer(t)
	for name, set := range map[string]func(*wechatpay.Config, http.RoundTripper){
		"Transport":  func(c *wechatpay.Config, rt http.RoundTripper) { c.Transport = rt },
		"HTTPClient": func(c *wechatpay.Config, rt http.RoundTripper) { c.HTTPClient = &http.Client{Transport: rt} },
	} {
		base := &countingTransport{next: http.DefaultTransport}
		client := newClient(t, srv, func(c *wechatpay.Config) { set(c, base) })
		if _, err := client.Chain(seedTemplate).Post(context.Background(), seedOptions()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := base.n.Load(); got != 1 {
			t.Errorf("%s: the base transport saw %d requests, want 1", name, got)
		}
	}
	_, err := wechatpay.NewClient(wechatpay.Config{MchID: "1", Serial: "2", PrivateKey: srv.MerchantKey(), Certs: srv.Certs(),
		Transport: http.DefaultTransport, HTTPClient: &http.Client{}})
	if err == nil {
		t.Error("both Transport and HTTPClient accepted")
	}
}

func TestTimeout(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, func(c *wechatpay.Config) { c.Timeout = 50 * time.Millisecond })
	srv.Fault("POST", seedTemplate, wechatpaytest.Fault{Delay: 5 * time.Second})
	_, err := client.Chain(seedTemplate).Post(context.Background(), seedOptions())
	var timeout interface{ Timeout() bool }
	if !errors.As(err, &timeout) || !timeout.Timeout() {
		t.Errorf("err = %v, want a timeout", err)
	}
}

func TestClockOption(t *testing.T) {
	srv := newServer(t)
	skewed := newClient(t, srv, func(c *wechatpay.Config) { c.Clock = func() time.Time { return time.Now().Add(301 * time.Second) } })
	if _, err := skewed.Chain(seedTemplate).Post(context.Background(), seedOptions()); !errors.Is(err, wechatpay.ErrVerification) {
		t.Errorf("client clock 301 s ahead: err = %v, want ErrVerification", err)
	}
	within := newClient(t, srv, func(c *wechatpay.Config) { c.Clock = func() time.Time { return time.Now().Add(250 * time.Second) } })
	if _, err := within.Chain(seedTemplate).Post(context.Background(), seedOptions()); err != nil {
		t.Errorf("client clock 250 s ahead: %v", err)
	}
}

func TestCertificateMode(t *testing.T) {
	srv := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode))
	client := newClient(t, srv, nil)
	resp, err := client.Chain("v3/certificates").Get(context.Background(), nil)
	if err != nil {
		t.Fatalf("GET v3/certificates in certificate mode: %v", err)
	}
	if got := resp.Get("data.0.serial_no").String(); got != srv.PlatformSerial() {
		t.Errorf("serial_no = %q, want %q", got, srv.PlatformSerial())
	}
}
