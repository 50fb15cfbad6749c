package wechatpay_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

const seedTemplate = "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"

// seedOptions are the seed page's request options.
func seedOptions() wechatpay.Options {
	return wechatpay.Options{
		"card_id": "478515832665",
		"code":    "478515832665",
		"json": wechatpay.M{
			"out_trade_no": "1217752501201407033233368018",
			"mchid":        "1230000109",
			"sub_mchid":    "1900000109",
			"bonus_value":  30,
		},
	}
}

// newClient returns a client configured for srv, with cfg's optional
// fields applied.
func newClient(t testing.TB, srv *wechatpaytest.Server, tweak func(*wechatpay.Config)) *wechatpay.Client {
	t.Helper()
	var tweaks []func(*wechatpay.Config)
	if tweak != nil {
		tweaks = append(tweaks, tweak)
	}
	c, err := srv.Client(tweaks...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func newServer(t testing.TB, opts ...wechatpaytest.Option) *wechatpaytest.Server {
	t.Helper()
	srv := wechatpaytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// TestSeedEndToEnd sends the seed request in all three chain forms, sync and
// async, to a server that verifies every signature with its own code, and
// checks the exact path and JSON body it received.
func TestSeedEndToEnd(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	ctx := context.Background()

	chains := map[string]*wechatpay.Chain{
		"declarative": client.Chain(seedTemplate),
		"segments":    client.Chain("v3", "marketing", "membercardOpen", "cards", "_card_id_", "codes", "_code_", "bonus", "prepare"),
		"step by step": client.Chain("v3").Chain("marketing").Chain("membercardOpen", "cards", "_card_id_").
			Chain("codes", "_code_").Chain("bonus", "prepare"),
	}
	const wantURI = "/v3/marketing/membercard-open/cards/478515832665/codes/478515832665/bonus/prepare"
	wantBody := `{"bonus_value":30,"mchid":"1230000109","out_trade_no":"1217752501201407033233368018","sub_mchid":"1900000109"}`

	for name, ch := range chains {
		for _, async := range []bool{false, true} {
			srv.Reset()
			var resp *wechatpay.Response
			var err error
			if async {
				resp, err = ch.PostAsync(ctx, seedOptions()).Wait(ctx)
			} else {
				resp, err = ch.Post(ctx, seedOptions())
			}
			if err != nil {
				t.Fatalf("%s (async=%v): %v", name, async, err)
			}
			if resp.StatusCode() != 204 || len(resp.Body()) != 0 {
				t.Errorf("%s (async=%v): status %d body %q, want 204 and no body", name, async, resp.StatusCode(), resp.Body())
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%s (async=%v): server saw %d requests, want 1", name, async, len(reqs))
			}
			r := reqs[0]
			got := struct{ Method, URI, Body, ContentType, Accept string }{r.Method, r.RequestURI, string(r.Body), r.Header.Get("Content-Type"), r.Header.Get("Accept")}
			want := struct{ Method, URI, Body, ContentType, Accept string }{"POST", wantURI, wantBody, "application/json", "application/json"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (async=%v): request mismatch (-want +got):\n%s", name, async, diff)
			}
			if !r.Authorized {
				t.Errorf("%s (async=%v): server rejected the signature: %s", name, async, r.AuthFailure)
			}
			if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "wechatpay-chain/"+wechatpay.Version+" (") || !strings.Contains(ua, ") Go/") {
				t.Errorf("User-Agent = %q", ua)
			}
		}
	}
}

func TestGetWithQueryAndJSONAnswer(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	ctx := context.Background()
	_, err := client.Chain("v3/pay/transactions/native").Post(ctx, wechatpay.Options{"json": wechatpay.M{
		"appid": "wxd678efh567hg6787", "mchid": srv.MchID(), "description": "Image形象店-深圳腾大-QQ公仔",
		"out_trade_no": "1217752501201407033233368018", "notify_url": "https://www.weixin.qq.com/wxpay/pay.php",
		"amount": wechatpay.M{"total": 100, "currency": "CNY"},
	}})
	if err != nil {
		t.Fatalf("native prepay: %v", err)
	}
	resp, err := client.Chain("v3/pay/transactions/out-trade-no/{out_trade_no}").Get(ctx, wechatpay.Options{
		"out_trade_no": "1217752501201407033233368018",
		"query":        map[string]string{"mchid": srv.MchID()},
	})
	if err != nil {
		t.Fatalf("query order: %v", err)
	}
	if got := resp.Get("out_trade_no").String(); got != "1217752501201407033233368018" {
		t.Errorf("out_trade_no = %q", got)
	}
	if resp.RequestID() == "" {
		t.Error("RequestID is empty")
	}
	var decoded struct {
		TradeState string `json:"trade_state"`
	}
	if err := resp.Decode(&decoded); err != nil || decoded.TradeState == "" {
		t.Errorf("Decode: %+v, %v", decoded, err)
	}
	last := srv.Requests()[len(srv.Requests())-1]
	if want := "/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=" + srv.MchID(); last.RequestURI != want {
		t.Errorf("RequestURI = %q, want %q", last.RequestURI, want)
	}
}

func TestAPIError(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	_, err := client.Chain("v3/no/such/endpoint").Get(context.Background(), nil)
	var apiErr *wechatpay.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if apiErr.StatusCode != 404 || apiErr.Code != "NOT_FOUND" || apiErr.RequestID == "" {
		t.Errorf("APIError = %+v", apiErr)
	}

	_, err = client.Chain(seedTemplate).Post(context.Background(), wechatpay.Options{"card_id": "1", "code": "2", "json": wechatpay.M{"mchid": "1"}})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Code != "PARAM_ERROR" {
		t.Errorf("bad seed body: err = %v, want 400 PARAM_ERROR", err)
	}
}

func TestBaseURLWithPath(t *testing.T) {
	srv := newServer(t, wechatpaytest.WithBasePath("/hk/"))
	client := newClient(t, srv, nil)
	if _, err := client.Chain(seedTemplate).Post(context.Background(), seedOptions()); err != nil {
		t.Fatalf("seed under /hk/: %v", err)
	}
	if got := srv.Requests()[0].RequestURI; !strings.HasPrefix(got, "/hk/v3/marketing/") {
		t.Errorf("RequestURI = %q, want it under /hk/", got)
	}
}

func TestNewClientValidation(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	good := func() wechatpay.Config {
		return wechatpay.Config{MchID: "1230000109", Serial: "ABC123", PrivateKey: key,
			Certs: map[string]*rsa.PublicKey{"PUB_KEY_ID_0114232134912410000000000000": &key.PublicKey}}
	}
	tests := []struct {
		name   string
		mutate func(*wechatpay.Config)
		wantIn string
	}{
		{"missing mchid", func(c *wechatpay.Config) { c.MchID = "" }, "MchID"},
		{"missing serial", func(c *wechatpay.Config) { c.Serial = "" }, "Serial"},
		{"missing key", func(c *wechatpay.Config) { c.PrivateKey = nil }, "PrivateKey"},
		{"empty certs", func(c *wechatpay.Config) { c.Certs = nil }, "Certs"},
		{"own serial in certs", func(c *wechatpay.Config) { c.Certs["ABC123"] = &key.PublicKey }, `own serial "ABC123"`},
		{"bad base url", func(c *wechatpay.Config) { c.BaseURL = "ftp://x/" }, "BaseURL"},
		{"base url without host", func(c *wechatpay.Config) { c.BaseURL = "https:///v3" }, "BaseURL"},
		{"typed nil rsa key", func(c *wechatpay.Config) { c.PrivateKey = (*rsa.PrivateKey)(nil) }, "PrivateKey"},
		{"http to a remote host", func(c *wechatpay.Config) { c.BaseURL = "http://api.mch.weixin.qq.com/" }, "loopback"},
		{"http to a lookalike of localhost", func(c *wechatpay.Config) { c.BaseURL = "http://localhost.example.com/" }, "loopback"},
		{"negative MaxResponseBytes", func(c *wechatpay.Config) { c.MaxResponseBytes = -1 }, "MaxResponseBytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := good()
			tt.mutate(&cfg)
			_, err := wechatpay.NewClient(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("NewClient error = %v, want one naming %s", err, tt.wantIn)
			}
		})
	}
	c, err := wechatpay.NewClient(good())
	if err != nil {
		t.Fatalf("valid config: %v", err)
	}
	if got, want := c.BaseURL(), wechatpay.DefaultBaseURL; got != want {
		t.Errorf("BaseURL = %q, want %q", got, want)
	}
	for _, base := range []string{"http://127.0.0.1:8080/", "http://localhost/", "http://[::1]:9/"} {
		cfg := good()
		cfg.BaseURL = base
		if _, err := wechatpay.NewClient(cfg); err != nil {
			t.Errorf("loopback BaseURL %s: %v", base, err)
		}
	}
	if diff := cmp.Diff([]string{"log", "signer", "verifier"}, c.Stack().List()); diff != "" {
		t.Errorf("default stack (-want +got):\n%s", diff)
	}
}

// TestNoSecretsInLogsOrErrors runs requests at debug level, including
// failing ones, and checks that no key material, Authorization value or
// APIv3 key appears in the log or in an error string.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	srv := newServer(t)
	var logBuf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client := newClient(t, srv, func(c *wechatpay.Config) { c.Logger = logger })
	ctx := context.Background()

	var errs []string
	if _, err := client.Chain(seedTemplate).Post(ctx, seedOptions()); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if _, err := client.Chain("v3/no/such").Get(ctx, nil); err != nil {
		errs = append(errs, err.Error())
	}
	srv.Fault("POST", seedTemplate, wechatpaytest.Fault{TamperSignature: true})
	if _, err := client.Chain(seedTemplate).Post(ctx, seedOptions()); err != nil {
		errs = append(errs, err.Error())
	} else {
		t.Error("tampered signature was accepted")
	}
	wrongKey := newClient(t, srv, func(c *wechatpay.Config) { c.PrivateKey = testKey(t) })
	if _, err := wrongKey.Chain(seedTemplate).Post(ctx, seedOptions()); err != nil {
		errs = append(errs, err.Error())
	}

	var auths []string
	for _, r := range srv.Requests() {
		auths = append(auths, r.Header.Get("Authorization"))
	}
	log := logBuf.String()
	if !strings.Contains(log, "attempt=1") || !strings.Contains(log, "status=204") || !strings.Contains(log, "request_id=") {
		t.Errorf("debug log lacks attempt/status/request id:\n%s", log)
	}
	secrets := append(secretFragments(t, srv), srv.APIv3Key())
	for _, a := range auths {
		if a == "" {
			continue
		}
		secrets = append(secrets, a)
		if _, sig, ok := strings.Cut(a, `signature="`); ok {
			secrets = append(secrets, strings.TrimSuffix(sig, `"`))
		}
	}
	for _, text := range append(errs, log) {
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("secret %.24q… leaked into %q", s, text)
			}
		}
	}
	if len(errs) != 3 {
		t.Errorf("got %d errors, want 3: %q", len(errs), errs)
	}
	checkCallbackSecrets(t, srv, client, &logBuf, secrets) // callbacks and sensitive fields
}

// secretFragments returns distinctive pieces of the merchant key: its PEM
// body lines, and the decimal and hex forms of its private exponent and
// primes.
func secretFragments(t testing.TB, srv *wechatpaytest.Server) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(string(srv.MerchantKeyPEM()), "\n") {
		if len(line) > 20 && !strings.HasPrefix(line, "-----") {
			out = append(out, line)
		}
	}
	k := srv.MerchantKey()
	out = append(out, k.D.String(), k.D.Text(16), k.Primes[0].String(), k.Primes[1].Text(16))
	return out
}

var (
	keyOnce sync.Once
	key     *rsa.PrivateKey
)

// testKey returns an RSA key that is not the server's.
func testKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return key
}
