package middleware_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay/apiv2"
	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// testMD5 is the test's own APIv2 MD5 sign.
func testMD5(f map[string]string, secret string) string {
	var keys []string
	for k, v := range f {
		if k != "sign" && v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + f[k] + "&")
	}
	sum := md5.Sum([]byte(b.String() + "key=" + secret))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func TestAPIv2SignerBodyAndQuery(t *testing.T) {
	t.Parallel()
	const secret = "s3cret"
	var seen []map[string]string
	wire := rtFunc(func(r *http.Request) (*http.Response, error) {
		var f map[string]string
		if r.Body != nil && r.Body != http.NoBody {
			b, _ := io.ReadAll(r.Body)
			var err error
			if f, err = apiv2.Decode(b); err != nil {
				return nil, err
			}
		} else {
			f = map[string]string{}
			for k, v := range r.URL.Query() {
				f[k] = v[0]
			}
		}
		seen = append(seen, f)
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
	rt := middleware.NewAPIv2Signer(secret)(wire)

	ctx := middleware.WithAPIv2(context.Background(), &middleware.APIv2Call{})
	for range 2 {
		req, _ := http.NewRequestWithContext(ctx, "POST", "https://h/pay/orderquery", strings.NewReader("<xml><a>1</a></xml>"))
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	}
	get, _ := http.NewRequestWithContext(middleware.WithAPIv2(context.Background(), &middleware.APIv2Call{Nonceless: true}), "GET", "https://h/papay/h5entrustweb?b=2&a=x%26y", nil)
	if _, err := rt.RoundTrip(get); err != nil {
		t.Fatal(err)
	}
	if get.URL.RawQuery != "b=2&a=x%26y" {
		t.Errorf("the caller's request was modified: %s", get.URL.RawQuery)
	}
	for i, f := range seen {
		if f["sign"] != testMD5(f, secret) {
			t.Errorf("request %d: sign %s does not verify: %v", i, f["sign"], f)
		}
	}
	if seen[0]["nonce_str"] == seen[1]["nonce_str"] || len(seen[0]["nonce_str"]) != 32 {
		t.Errorf("nonces %q and %q: want fresh 32-character nonces per attempt", seen[0]["nonce_str"], seen[1]["nonce_str"])
	}
	if _, has := seen[2]["nonce_str"]; has || seen[2]["a"] != "x&y" {
		t.Errorf("nonceless GET: %v", seen[2])
	}
}

func TestByAPIVersionWithoutCredentials(t *testing.T) {
	t.Parallel()
	reached := false
	wire := rtFunc(func(r *http.Request) (*http.Response, error) { reached = true; return nil, errors.New("unreachable") })
	v2only := middleware.ByAPIVersion(nil, middleware.NewAPIv2Signer("k"))(wire)
	closed := &closeSpy{Reader: strings.NewReader("{}")}
	req, _ := http.NewRequest("POST", "https://h/v3/x", closed)
	if _, err := v2only.RoundTrip(req); err == nil || !strings.Contains(err.Error(), "no APIv3 credentials") {
		t.Errorf("v3 request on a v2-only switch: %v", err)
	}
	if reached || !closed.closed {
		t.Errorf("reached the wire %v, body closed %v", reached, closed.closed)
	}
	v3only := middleware.ByAPIVersion(func(next http.RoundTripper) http.RoundTripper { return next }, nil)(wire)
	req, _ = http.NewRequestWithContext(middleware.WithAPIv2(context.Background(), &middleware.APIv2Call{}), "POST", "https://h/pay/x", nil)
	if _, err := v3only.RoundTrip(req); err == nil || !strings.Contains(err.Error(), "no APIv2 credentials") || reached {
		t.Errorf("v2 request on a v3-only switch: %v", err)
	}
}

func TestAPIv2VerifierFailureCarriesSnapshot(t *testing.T) {
	t.Parallel()
	body := "<xml><return_code>SUCCESS</return_code><sign>00000000000000000000000000000000</sign></xml>"
	wire := rtFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, ContentLength: -1, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})
	rt := middleware.NewAPIv2Verifier(middleware.APIv2VerifierConfig{Secret: "k"})(wire)
	req, _ := http.NewRequest("POST", "https://h/pay/orderquery", nil)
	_, err := rt.RoundTrip(req)
	ve, ok := errors.AsType[*signer.VerificationError](err)
	if !ok || ve.Rule != signer.RuleBadSignature || string(ve.Body) != body || ve.StatusCode != 200 {
		t.Fatalf("err = %v", err)
	}
	// The same answer on an unsigned endpoint passes, fields left in the call.
	call := &middleware.APIv2Call{}
	req, _ = http.NewRequestWithContext(middleware.WithAPIv2(context.Background(), call), "POST", "https://h/mmpaymkttransfers/sendredpack", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil || call.Answer()["return_code"] != "SUCCESS" {
		t.Fatalf("unsigned endpoint: %v, %v", err, call.Answer())
	}
	resp.Body.Close()
}

type closeSpy struct {
	io.Reader
	closed bool
}

func (c *closeSpy) Close() error { c.closed = true; return nil }
