package middleware_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// serverTime is the clock of the test WeChat Pay server.
var serverTime = time.Unix(1700000000, 0)

// answer describes how the test server answers one request.
type answer struct {
	status     int
	body       string
	signedBody *string // sign this instead of body (tampering); nil = body
	key        string  // fixture key that signs; "" = platform_key
	serial     string  // Wechatpay-Serial; "" = testPlatformSerial
	unsigned   bool    // send no Wechatpay-* headers
	drop       string  // header to remove after signing
	set        map[string]string
	statement  bool    // sign {"sha1":"<sha1 of body>"} and send Wechatpay-Statement-Sha1
	digestOf   *string // with statement: hash this instead of body
	digestHdr  *string // with statement: sign and send this header value verbatim
}

// wechatpayServer signs answers with its own code (not package signer).
func wechatpayServer(t *testing.T, a answer) *httptest.Server {
	t.Helper()
	k := key(t, "platform_key")
	if a.key != "" {
		k = key(t, a.key)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Request-ID", "08F78BB5AF0610")
		if !a.unsigned {
			ts := strconv.FormatInt(serverTime.Unix(), 10)
			nonce := "c5ac7061fccab6bf3e254dcf98995b8c"
			signed := a.body
			if a.signedBody != nil {
				signed = *a.signedBody
			}
			if a.statement {
				hashed := a.body
				if a.digestOf != nil {
					hashed = *a.digestOf
				}
				sum := sha1.Sum([]byte(hashed))
				digest := hex.EncodeToString(sum[:])
				if a.digestHdr != nil {
					digest = *a.digestHdr
				}
				h.Set("Wechatpay-Statement-Sha1", digest)
				signed = `{"sha1":"` + digest + `"}`
			}
			sum := sha256.Sum256([]byte(ts + "\n" + nonce + "\n" + signed + "\n"))
			sig, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, sum[:])
			if err != nil {
				t.Error(err)
				return
			}
			serial := testPlatformSerial
			if a.serial != "" {
				serial = a.serial
			}
			h.Set("Wechatpay-Timestamp", ts)
			h.Set("Wechatpay-Nonce", nonce)
			h.Set("Wechatpay-Signature", base64.StdEncoding.EncodeToString(sig))
			h.Set("Wechatpay-Serial", serial)
		}
		if a.drop != "" {
			h.Del(a.drop)
		}
		for k, v := range a.set {
			h.Set(k, v)
		}
		status := a.status
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
		io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func strptr(s string) *string { return &s }

func sha1hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestVerifierMatrix(t *testing.T) {
	t.Parallel()
	store, err := signer.NewKeyStore(map[string]*rsa.PublicKey{
		testPlatformSerial:                        &key(t, "platform_key").PublicKey,
		"PUB_KEY_ID_0114232134912410000000000000": &key(t, "platform_key").PublicKey,
	})
	if err != nil {
		t.Fatal(err)
	}
	const body = `{"code_url":"weixin://wxpay/bizpayurl?pr=p4lpSuKzz"}`
	bill := "交易时间,公众账号ID\n`2025-01-01 00:00:00,`wx1\n"
	tests := []struct {
		name     string
		answer   answer
		path     string        // default /v3/pay/transactions/native
		base     string        // VerifierConfig.BasePath
		skew     time.Duration // client clock minus server clock
		ctx      func(context.Context) context.Context
		wantRule string // "" = passes
	}{
		{name: "good", answer: answer{body: body}},
		{name: "public key id", answer: answer{body: body, serial: "PUB_KEY_ID_0114232134912410000000000000"}},
		{name: "missing timestamp", answer: answer{body: body, drop: "Wechatpay-Timestamp"}, wantRule: signer.RuleMissingHeader},
		{name: "missing nonce", answer: answer{body: body, drop: "Wechatpay-Nonce"}, wantRule: signer.RuleMissingHeader},
		{name: "missing signature", answer: answer{body: body, drop: "Wechatpay-Signature"}, wantRule: signer.RuleMissingHeader},
		{name: "missing serial", answer: answer{body: body, drop: "Wechatpay-Serial"}, wantRule: signer.RuleMissingHeader},
		{name: "clock +301 s", answer: answer{body: body}, skew: 301 * time.Second, wantRule: signer.RuleClockSkew},
		{name: "clock -301 s", answer: answer{body: body}, skew: -301 * time.Second, wantRule: signer.RuleClockSkew},
		{name: "clock +300 s passes", answer: answer{body: body}, skew: 300 * time.Second},
		{name: "clock -300 s passes", answer: answer{body: body}, skew: -300 * time.Second},
		{name: "non-numeric timestamp", answer: answer{body: body, set: map[string]string{"Wechatpay-Timestamp": "soon"}}, wantRule: signer.RuleMalformed},
		{name: "unknown serial", answer: answer{body: body, serial: "0123456789ABCDEF"}, wantRule: signer.RuleUnknownSerial},
		{name: "lower-cased serial", answer: answer{body: body, serial: strings.ToLower(testPlatformSerial)}, wantRule: signer.RuleUnknownSerial},
		{name: "tampered body", answer: answer{body: body, signedBody: strptr(`{"code_url":"weixin://other"}`)}, wantRule: signer.RuleBadSignature},
		{name: "wrong key", answer: answer{body: body, key: "wrong_key"}, wantRule: signer.RuleBadSignature},
		{name: "garbage base64", answer: answer{body: body, set: map[string]string{"Wechatpay-Signature": "%%% not base64 %%%"}}, wantRule: signer.RuleMalformed},
		{name: "unsupported signature type", answer: answer{body: body, set: map[string]string{"Wechatpay-Signature-Type": "WECHATPAY2-SM2-WITH-SM3"}}, wantRule: signer.RuleSignatureType},
		{name: "signature type scheme passes", answer: answer{body: body, set: map[string]string{"Wechatpay-Signature-Type": signer.Scheme}}},
		{name: "204 empty body", answer: answer{status: http.StatusNoContent}},
		{name: "204 unsigned fails", answer: answer{status: http.StatusNoContent, unsigned: true}, wantRule: signer.RuleMissingHeader},
		{name: "unsigned answer fails", answer: answer{body: body, unsigned: true}, wantRule: signer.RuleMissingHeader},

		{name: "exempt billdownload", answer: answer{body: bill, unsigned: true}, path: "/v3/billdownload/file?token=abc"},
		{name: "exempt image download", answer: answer{body: "GIF89a", unsigned: true}, path: "/v3/merchant-service/images/ChsyMGRhNzQ"},
		{name: "exempt fapiao download", answer: answer{body: "%PDF", unsigned: true}, path: "/v3/new-tax-control-fapiao/download"},
		{name: "exempt elecvoucherfile", answer: answer{body: "%PDF", unsigned: true}, path: "/v3/transferdownload/elecvoucherfile"},
		{name: "exempt signfile", answer: answer{body: "%PDF", unsigned: true}, path: "/v3/transferdownload/signfile"},
		{name: "image upload is verified", answer: answer{body: `{"media_id":"x"}`, unsigned: true}, path: "/v3/merchant-service/images/upload", wantRule: signer.RuleMissingHeader},
		{name: "images root is verified", answer: answer{body: "{}", unsigned: true}, path: "/v3/merchant-service/images/", wantRule: signer.RuleMissingHeader},
		{name: "near-miss path is verified", answer: answer{body: bill, unsigned: true}, path: "/v3/billdownload/file/", wantRule: signer.RuleMissingHeader},
		{name: "exempt under base path", answer: answer{body: bill, unsigned: true}, path: "/hk/v3/billdownload/file", base: "/hk/"},
		{name: "exempt path outside base path is verified", answer: answer{body: bill, unsigned: true}, path: "/v3/billdownload/file", base: "/hk/", wantRule: signer.RuleMissingHeader},
		{name: "signed answer under base path", answer: answer{body: body}, path: "/hk/v3/pay/transactions/native", base: "hk"},

		{name: "hk statements sha1 good", answer: answer{body: bill, statement: true}, path: "/hk/v3/statements?date=20250101"},
		{name: "hk statements under base /hk/", answer: answer{body: bill, statement: true}, path: "/hk/v3/statements", base: "/hk/"},
		{name: "global statements sha1 good", answer: answer{body: bill, statement: true}, path: "/v3/global/statements"},
		{name: "statements sha1 bad", answer: answer{body: bill, statement: true, set: map[string]string{"Wechatpay-Statement-Sha1": "da39a3ee5e6b4b0d3255bfef95601890afd80709"}}, path: "/v3/global/statements", wantRule: signer.RuleBadSignature},
		{name: "statements body differs from the signed digest", answer: answer{body: bill, statement: true, digestOf: strptr("another bill")}, path: "/v3/global/statements", wantRule: signer.RuleStatementSHA1},
		{name: "statements digest not hex", answer: answer{body: bill, statement: true, digestHdr: strptr("zz")}, path: "/hk/v3/statements", wantRule: signer.RuleMalformed},
		{name: "statements digest upper-case hex", answer: answer{body: bill, statement: true, digestHdr: strptr(strings.ToUpper(sha1hex(bill)))}, path: "/hk/v3/statements"},
		{name: "statements missing sha1 header", answer: answer{body: bill, statement: true, drop: "Wechatpay-Statement-Sha1"}, path: "/v3/global/statements", wantRule: signer.RuleMissingHeader},
		{name: "statement signed over the body is refused", answer: answer{body: bill}, path: "/v3/global/statements", wantRule: signer.RuleMissingHeader},

		{name: "400 passes through", answer: answer{status: 400, body: `{"code":"PARAM_ERROR","message":"bad"}`, unsigned: true}},
		{name: "500 passes through", answer: answer{status: 500, body: `{"code":"SYSTEM_ERROR","message":"x"}`, unsigned: true}},
		{name: "WithoutVerification", answer: answer{body: body, unsigned: true},
			ctx: middleware.WithoutVerification},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := wechatpayServer(t, tt.answer)
			rt := middleware.NewVerifier(middleware.VerifierConfig{
				Verifier: store,
				Now:      func() time.Time { return serverTime.Add(tt.skew) },
				BasePath: tt.base,
			})(srv.Client().Transport)
			path := tt.path
			if path == "" {
				path = "/v3/pay/transactions/native"
			}
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx(ctx)
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := rt.RoundTrip(req)
			if tt.wantRule != "" {
				if resp != nil {
					resp.Body.Close()
					t.Errorf("got a response (HTTP %d) with the error, want nil", resp.StatusCode)
				}
				if !errors.Is(err, signer.ErrVerification) {
					t.Fatalf("error = %v, want one matching signer.ErrVerification", err)
				}
				ve, ok := errors.AsType[*signer.VerificationError](err)
				if !ok {
					t.Fatalf("error %T is not a *signer.VerificationError", err)
				}
				if ve.Rule != tt.wantRule {
					t.Errorf("Rule = %q, want %q (%v)", ve.Rule, tt.wantRule, err)
				}
				wantStatus := tt.answer.status
				if wantStatus == 0 {
					wantStatus = 200
				}
				if ve.StatusCode != wantStatus || ve.Header.Get("Request-ID") != "08F78BB5AF0610" || string(ve.Body) != tt.answer.body {
					t.Errorf("error carries status %d, Request-ID %q, body %q; want %d, the header and %q",
						ve.StatusCode, ve.Header.Get("Request-ID"), ve.Body, wantStatus, tt.answer.body)
				}
				return
			}
			if err != nil {
				t.Fatalf("RoundTrip: %v", err)
			}
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.answer.body, string(got)); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
			if resp.ContentLength != int64(len(tt.answer.body)) {
				t.Errorf("ContentLength = %d, want %d", resp.ContentLength, len(tt.answer.body))
			}
		})
	}
}

// TestVerifierBodyHandling checks, with a fake transport, that a failing
// answer's body is closed, that skipped answers keep their original body
// and that read errors surface.
func TestVerifierBodyHandling(t *testing.T) {
	t.Parallel()
	store, err := signer.NewKeyStore(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		path       string
		status     int
		readErr    bool
		wantErr    bool
		wantVerErr bool
		wantSame   bool // the response body is passed on untouched
	}{
		{name: "unsigned 200 fails and closes", path: "/v3/x", status: 200, wantErr: true, wantVerErr: true},
		{name: "read error", path: "/v3/x", status: 200, readErr: true, wantErr: true},
		{name: "exempt keeps the body", path: "/v3/billdownload/file", status: 200, wantSame: true},
		{name: "escaped slash is not exempt", path: "/v3/billdownload%2Ffile", status: 200, wantErr: true, wantVerErr: true},
		{name: "escaped media slash is not exempt", path: "/v3/merchant-service%2Fimages/x", status: 200, wantErr: true, wantVerErr: true},
		{name: "non-2xx keeps the body", path: "/v3/x", status: 404, wantSame: true},
		{name: "1xx-like 199 keeps the body", path: "/v3/x", status: 199, wantSame: true},
		{name: "300 keeps the body", path: "/v3/x", status: 300, wantSame: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := &countingBody{r: strings.NewReader("payload")}
			if tt.readErr {
				body.readErr = errors.New("connection reset")
			}
			next := transportFunc(func(r *http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: tt.status, Header: http.Header{}, Body: body, ContentLength: 7, Request: r}, nil
			})
			rt := middleware.NewVerifier(middleware.VerifierConfig{Verifier: store})(next)
			req, _ := http.NewRequest("GET", "https://api.mch.weixin.qq.com"+tt.path, nil)
			resp, err := rt.RoundTrip(req)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				if resp != nil {
					t.Error("non-nil response with an error")
				}
				if got := errors.Is(err, signer.ErrVerification); got != tt.wantVerErr {
					t.Errorf("errors.Is(ErrVerification) = %v, want %v (%v)", got, tt.wantVerErr, err)
				}
				if n := body.closes.Load(); n != 1 {
					t.Errorf("body closed %d times, want 1", n)
				}
				return
			}
			if tt.wantSame && resp.Body != io.ReadCloser(body) {
				t.Error("the body was replaced, want it passed on untouched")
			}
			if n := body.closes.Load(); n != 0 {
				t.Errorf("body closed %d times before the caller got it", n)
			}
			resp.Body.Close()
		})
	}
}

// TestVerifierTransportError checks a transport error passes through.
func TestVerifierTransportError(t *testing.T) {
	t.Parallel()
	dial := errors.New("dial failed")
	rt := middleware.NewVerifier(middleware.VerifierConfig{})(transportFunc(func(*http.Request) (*http.Response, error) {
		return nil, dial
	}))
	req, _ := http.NewRequest("GET", "https://api.mch.weixin.qq.com/v3/x", nil)
	if resp, err := rt.RoundTrip(req); resp != nil || !errors.Is(err, dial) || errors.Is(err, signer.ErrVerification) {
		t.Errorf("RoundTrip = %v, %v; want nil and the transport error", resp, err)
	}
}

// signedAnswer builds the headers of a signed answer for the benchmarks.
func signedAnswer(b *testing.B, body []byte) http.Header {
	k := key(b, "platform_key")
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	nonce := "c5ac7061fccab6bf3e254dcf98995b8c"
	sum := sha256.Sum256([]byte(ts + "\n" + nonce + "\n" + string(body) + "\n"))
	sig, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, sum[:])
	if err != nil {
		b.Fatal(err)
	}
	return http.Header{
		"Wechatpay-Timestamp": {ts},
		"Wechatpay-Nonce":     {nonce},
		"Wechatpay-Signature": {base64.StdEncoding.EncodeToString(sig)},
		"Wechatpay-Serial":    {testPlatformSerial},
	}
}

// BenchmarkVerifyResponse measures signer.VerifyHeaders (header checks,
// clock, key lookup, base64, message, RSA verification) on a signed answer.
func BenchmarkVerifyResponse(b *testing.B) {
	store, err := signer.NewKeyStore(map[string]*rsa.PublicKey{testPlatformSerial: &key(b, "platform_key").PublicKey})
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(benchBody)
	h := signedAnswer(b, body)
	now := time.Now()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := signer.VerifyHeaders(store, h, body, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawVerifyPKCS1v15 is the floor: SHA-256 and rsa.VerifyPKCS1v15
// of the same message with an already decoded signature.
func BenchmarkRawVerifyPKCS1v15(b *testing.B) {
	pub := &key(b, "platform_key").PublicKey
	body := []byte(benchBody)
	h := signedAnswer(b, body)
	sig, err := base64.StdEncoding.DecodeString(h.Get("Wechatpay-Signature"))
	if err != nil {
		b.Fatal(err)
	}
	msg := []byte(h.Get("Wechatpay-Timestamp") + "\n" + h.Get("Wechatpay-Nonce") + "\n" + benchBody + "\n")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		sum := sha256.Sum256(msg)
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}
