package wechatpay_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// TestEscapedSlashCannotSkipVerification fills {rest} with
// "billdownload/file" (sent as billdownload%2Ffile) and answers unsigned:
// the answer must fail verification, not pass as an unsigned download.
func TestEscapedSlashCannotSkipVerification(t *testing.T) {
	srv := newServer(t)
	srv.Handle("GET", "v3/{rest}", func(*wechatpaytest.Request) wechatpaytest.Reply {
		return wechatpaytest.Reply{Status: 200, JSON: wechatpaytest.M{"forged": true}, Unsigned: true}
	})
	client := newClient(t, srv, nil)
	resp, err := client.Chain("v3/{rest}").Get(context.Background(), wechatpay.Options{"rest": "billdownload/file"})
	if !errors.Is(err, wechatpay.ErrVerification) {
		t.Fatalf("Get = %v, %v; want ErrVerification", resp, err)
	}
	if got := srv.Requests()[0].RequestURI; got != "/v3/billdownload%2Ffile" {
		t.Errorf("wire URI = %q, want the escaped slash", got)
	}
}

// TestLargeAnswerRefused answers more than MaxResponseBytes: a 2xx is an
// ErrResponseTooLarge error (tried once, despite a retry policy), an
// error answer an *APIError cut at the limit.
func TestLargeAnswerRefused(t *testing.T) {
	const limit = 1 << 10
	srv := newServer(t)
	big := strings.Repeat("x", 2*limit)
	srv.Handle("GET", "v3/big", func(*wechatpaytest.Request) wechatpaytest.Reply {
		return wechatpaytest.JSON(200, wechatpaytest.M{"data": big})
	})
	srv.Handle("GET", "v3/bigerror", func(*wechatpaytest.Request) wechatpaytest.Reply {
		return wechatpaytest.Fail(400, "PARAM_ERROR", big)
	})
	client := newClient(t, srv, func(c *wechatpay.Config) {
		fastRetry(c)
		c.MaxResponseBytes = limit
	})
	ctx := context.Background()
	_, err := client.Chain("v3/big").Get(ctx, nil)
	if !errors.Is(err, wechatpay.ErrResponseTooLarge) {
		t.Errorf("2xx over the limit: err = %v, want ErrResponseTooLarge", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("2xx over the limit was tried %d times, want 1", n)
	}
	if err != nil && strings.Count(err.Error(), "wechatpay:") != 1 {
		t.Errorf("message %q has not exactly one wechatpay: prefix", err)
	}
	_, err = client.Chain("v3/bigerror").Get(ctx, nil)
	apiErr, ok := errors.AsType[*wechatpay.APIError](err)
	if !ok || len(apiErr.Body) != limit || !apiErr.Truncated || apiErr.StatusCode != 400 {
		t.Fatalf("error answer over the limit: %v; want an APIError with a %d-byte body", err, limit)
	}
}

// TestGzipAnswerIsNotDecoded asks for gzip and gets a signed gzip body:
// Body() must be the bytes that were verified, not their gunzipped form.
func TestGzipAnswerIsNotDecoded(t *testing.T) {
	srv := newServer(t)
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(`{"plain":"text"}`))
	zw.Close()
	srv.Handle("GET", "v3/zipped", func(*wechatpaytest.Request) wechatpaytest.Reply {
		return wechatpaytest.Reply{Status: 200, Body: zipped.Bytes(), Header: http.Header{
			"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}}
	})
	client := newClient(t, srv, nil)
	resp, err := client.Chain("v3/zipped").Get(context.Background(), wechatpay.Options{
		"headers": map[string]string{"Accept-Encoding": "gzip"}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resp.Body(), zipped.Bytes()) {
		t.Errorf("Body() = %q, want the verified gzip bytes %q", resp.Body(), zipped.Bytes())
	}
}

// TestUpgradeAnswerHonoursDeadline answers 101 Switching Protocols and
// keeps the connection open: the call must end by its ctx deadline.
func TestUpgradeAnswerHonoursDeadline(t *testing.T) {
	hold := make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n")
		buf.Flush()
		<-hold
	}))
	defer up.Close()
	defer close(hold)
	srv := newServer(t)
	client := newClient(t, srv, func(c *wechatpay.Config) { c.BaseURL = up.URL })
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := client.Chain("v3/upgrade").Get(ctx, nil)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a 101 answer came back as a success")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the call waited on the 101 body past its deadline")
	}
}

// TestPublicKeyModeSendsSerial checks every APIv3 request of a public-key
// client names the public key in Wechatpay-Serial, a caller's value wins,
// and a certificate-mode client sends none.
func TestPublicKeyModeSendsSerial(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	var pubID string
	for serial := range srv.Certs() {
		pubID = serial
	}
	if !strings.HasPrefix(pubID, "PUB_KEY_ID_") {
		t.Fatalf("test server serial %q is not a public key id", pubID)
	}
	ctx := context.Background()
	if _, err := client.Chain(seedTemplate).Post(ctx, seedOptions()); err != nil {
		t.Fatal(err)
	}
	opts := seedOptions()
	opts["headers"] = map[string]string{"Wechatpay-Serial": "PUB_KEY_ID_OTHER"}
	_, _ = client.Chain(seedTemplate).Post(ctx, opts)
	reqs := srv.Requests()
	if got := reqs[0].Header.Get("Wechatpay-Serial"); got != pubID {
		t.Errorf("Wechatpay-Serial = %q, want %q", got, pubID)
	}
	if got := reqs[1].Header.Values("Wechatpay-Serial"); len(got) != 1 || got[0] != "PUB_KEY_ID_OTHER" {
		t.Errorf("caller's Wechatpay-Serial became %q", got)
	}

	certSrv := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode))
	certClient := newClient(t, certSrv, nil)
	if _, err := certClient.Chain(seedTemplate).Post(ctx, seedOptions()); err != nil {
		t.Fatal(err)
	}
	if got := certSrv.Requests()[0].Header.Get("Wechatpay-Serial"); got != "" {
		t.Errorf("certificate mode sent Wechatpay-Serial %q", got)
	}
}

// probe is a wire-level middleware that turns the answer's signature into
// a WECHATPAY/SIGNTEST/ probe.
func probe(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err == nil {
			resp.Header.Set("Wechatpay-Signature", "WECHATPAY/SIGNTEST/"+resp.Header.Get("Wechatpay-Signature"))
		}
		return resp, err
	})
}

// TestSignatureProbe checks a probe signature fails with an error matching
// both ErrSignatureProbe and ErrVerification, naming the serial, with one
// wechatpay: prefix.
func TestSignatureProbe(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	if err := client.Stack().Push("probe", probe); err != nil {
		t.Fatal(err)
	}
	_, err := client.Chain(seedTemplate).Post(context.Background(), seedOptions())
	if !errors.Is(err, wechatpay.ErrSignatureProbe) || !errors.Is(err, wechatpay.ErrVerification) {
		t.Fatalf("err = %v, want ErrSignatureProbe and ErrVerification", err)
	}
	msg := err.Error()
	for serial := range srv.Certs() {
		if !strings.Contains(msg, serial) {
			t.Errorf("message %q does not name the serial %s", msg, serial)
		}
	}
	if n := strings.Count(msg, "wechatpay:"); n != 1 {
		t.Errorf("message %q has %d wechatpay: prefixes, want 1", msg, n)
	}
	if !strings.Contains(msg, "request id") || !strings.Contains(msg, "POST") {
		t.Errorf("message %q lacks the method or the request id", msg)
	}
}

// TestSignErrorShowsBothMessages changes the body on the wire after
// signing, so the server answers 401 SIGN_ERROR with sign_information,
// and checks the APIError shows it beside what the client signed.
func TestSignErrorShowsBothMessages(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	if err := client.Stack().Push("tamper", func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r = r.Clone(r.Context())
			r.Body, r.GetBody = http.NoBody, nil
			r.ContentLength = 0
			return next.RoundTrip(r)
		})
	}); err != nil {
		t.Fatal(err)
	}
	_, err := client.Chain(seedTemplate).Post(context.Background(), seedOptions())
	apiErr, ok := errors.AsType[*wechatpay.APIError](err)
	if !ok || apiErr.Code != "SIGN_ERROR" || apiErr.SignInformation == nil {
		t.Fatalf("err = %v, want a SIGN_ERROR APIError with sign_information", err)
	}
	si := apiErr.SignInformation
	if si.Method != "POST" || !strings.HasPrefix(si.URL, "/v3/marketing/") || si.SignMessageLength == 0 {
		t.Errorf("sign_information = %+v", si)
	}
	if apiErr.SignedLength <= si.SignMessageLength || !strings.HasPrefix(apiErr.SignedPrefix, "POST\n/v3/marketing/") {
		t.Errorf("signed by the client: %d bytes %q; server: %d bytes", apiErr.SignedLength, apiErr.SignedPrefix, si.SignMessageLength)
	}
	if msg := err.Error(); !strings.Contains(msg, "this client signed") || strings.Contains(msg, "signature=") {
		t.Errorf("message %q", msg)
	}
}

// TestNilReceivers checks methods on a nil *Client or *Chain do not panic.
func TestNilReceivers(t *testing.T) {
	var c *wechatpay.Client
	if c.Stack() != nil || c.BaseURL() != "" || c.MchID() != "" {
		t.Error("nil client returned values")
	}
	c.CloseIdleConnections()
	var ch *wechatpay.Chain
	if _, err := ch.GetAsync(context.Background(), nil).Wait(context.Background()); err == nil {
		t.Error("GetAsync on a nil chain: no error")
	}
	if _, err := ch.Get(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "nil *Chain") {
		t.Errorf("Get on a nil chain: err = %v, want the nil *Chain error", err)
	}
	if _, err := c.Chain("v3/x").Post(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "nil *Client") {
		t.Errorf("Post on a chain of a nil client: err = %v, want the nil *Client error", err)
	}
}

// TestErrorsNameTheTemplate checks an API error and a call error name the
// template the path was expanded from, beside the expanded path.
func TestErrorsNameTheTemplate(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	_, err := client.Chain("v3/no/such/{id}").Get(context.Background(), wechatpay.Options{"id": "ORDER1"})
	var apiErr *wechatpay.APIError
	if !errors.As(err, &apiErr) || apiErr.Template != "v3/no/such/{id}" || apiErr.Path != "v3/no/such/ORDER1" {
		t.Fatalf("err = %v (%+v), want an APIError naming the template and the path", err, apiErr)
	}
	if msg := err.Error(); !strings.Contains(msg, "GET v3/no/such/ORDER1 (template v3/no/such/{id})") {
		t.Errorf("message %q does not name the template", msg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = client.Chain("v3/pay/transactions/id/{id}").Get(ctx, wechatpay.Options{"id": "42"})
	if err == nil || !strings.Contains(err.Error(), "(template v3/pay/transactions/id/{id})") {
		t.Errorf("cancelled call: err = %v, want the template named", err)
	}
}

// TestConfigKeyErrorHasOnePrefix checks a key the signer refuses gives a
// message with one wechatpay: and one signer: prefix.
func TestConfigKeyErrorHasOnePrefix(t *testing.T) {
	t.Parallel()
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	_, err = wechatpay.NewClient(wechatpay.Config{MchID: "1230000109", Serial: "ABC", PrivateKey: small,
		Certs: map[string]*rsa.PublicKey{"PUB_KEY_ID_0114232134912410000000000000": &small.PublicKey}})
	if err == nil {
		t.Fatal("a 1024-bit key was accepted")
	}
	if msg := err.Error(); strings.Count(msg, "wechatpay:") != 1 || strings.Count(msg, "signer:") > 1 {
		t.Errorf("message %q repeats a prefix", msg)
	}
}
