package middleware_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

const (
	testMchID          = "1230000109"
	testMerchantSerial = "3775B6A45ACD588826D15E583A95F5DD5EDE1A47"
	testPlatformSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
)

// fixtures holds the test keys, parsed once per test binary with
// crypto/x509 directly (not through the signer loaders).
var fixtures = sync.OnceValues(func() (map[string]*rsa.PrivateKey, error) {
	out := make(map[string]*rsa.PrivateKey)
	for _, name := range []string{"merchant_key", "platform_key", "wrong_key"} {
		b, err := os.ReadFile(filepath.Join("testdata", name+".pem"))
		if err != nil {
			return nil, err
		}
		block, _ := pem.Decode(b)
		if block == nil {
			return nil, fmt.Errorf("%s: no PEM block", name)
		}
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = k.(*rsa.PrivateKey)
	}
	return out, nil
})

// key returns the named fixture key.
func key(t testing.TB, name string) *rsa.PrivateKey {
	t.Helper()
	keys, err := fixtures()
	if err != nil {
		t.Fatalf("loading fixtures: %v", err)
	}
	return keys[name]
}

// merchantSigner returns a signer.Signer over the merchant fixture key.
func merchantSigner(t testing.TB) *signer.Signer {
	t.Helper()
	s, err := signer.NewSigner(testMchID, testMerchantSerial, key(t, "merchant_key"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// transportFunc adapts a function to http.RoundTripper.
type transportFunc func(*http.Request) (*http.Response, error)

func (f transportFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// authRE parses the Authorization header independently of package signer.
var authRE = regexp.MustCompile(`^WECHATPAY2-SHA256-RSA2048 mchid="([^"]+)",serial_no="([^"]+)",timestamp="([0-9]+)",nonce_str="([0-9A-Za-z]{32})",signature="([^"]+)"$`)

// checkAuthorization verifies an Authorization header the way WeChat Pay
// would, with its own code: parse by regexp, rebuild the message from what
// arrived on the wire, rsa.VerifyPKCS1v15. It returns the nonce and
// timestamp.
func checkAuthorization(pub *rsa.PublicKey, method, requestURI, auth string, body []byte) (nonce string, ts int64, err error) {
	m := authRE.FindStringSubmatch(auth)
	if m == nil {
		return "", 0, fmt.Errorf("malformed Authorization %q", auth)
	}
	if m[1] != testMchID || m[2] != testMerchantSerial {
		return "", 0, fmt.Errorf("mchid/serial = %q/%q", m[1], m[2])
	}
	ts, err = strconv.ParseInt(m[3], 10, 64)
	if err != nil {
		return "", 0, err
	}
	sig, err := base64.StdEncoding.DecodeString(m[5])
	if err != nil {
		return "", 0, fmt.Errorf("signature base64: %w", err)
	}
	msg := method + "\n" + requestURI + "\n" + m[3] + "\n" + m[4] + "\n" + string(body) + "\n"
	sum := sha256.Sum256([]byte(msg))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		return "", 0, fmt.Errorf("signature over %q: %w", msg, err)
	}
	return m[4], ts, nil
}

// onlyReader hides every method but Read, so http.NewRequest cannot set GetBody.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestSignerAgainstIndependentServer(t *testing.T) {
	t.Parallel()
	pub := &key(t, "merchant_key").PublicKey
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var signed []byte = body
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			signed, err = checkUpload(r, body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		nonce, ts, err := checkAuthorization(pub, r.Method, r.RequestURI, r.Header.Get("Authorization"), signed)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if d := time.Now().Unix() - ts; d > 5 || d < -5 {
			http.Error(w, "stale timestamp", http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, "%s %s", nonce, body)
	}))
	t.Cleanup(srv.Close) // subtests run in parallel, after this function returns
	client := &http.Client{Transport: middleware.NewSigner(merchantSigner(t))(srv.Client().Transport)}

	json := `{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"Image形象店-深圳腾大-QQ公仔","out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php","amount":{"total":100,"currency":"CNY"}}`
	meta := `{"filename":"transparent.gif","sha256":"bb229a48bee31f5d54ca12dc9bd960c63a671f0d4be86a054c1d324a44499d96"}`
	upload, contentType := multipartUpload(t, meta)
	tests := []struct {
		name, method, path string
		body               func() io.Reader
		ctx                func(context.Context) context.Context
		header             http.Header
	}{
		{name: "POST JSON with GetBody", method: "POST", path: "/v3/pay/transactions/native",
			body: func() io.Reader { return strings.NewReader(json) }},
		{name: "POST JSON without GetBody", method: "POST", path: "/v3/pay/transactions/native",
			body: func() io.Reader { return onlyReader{strings.NewReader(json)} }},
		{name: "GET with escaped path and query", method: "GET",
			path: "/v3/pay/transactions/out-trade-no/a%20b%2Fc?mchid=1230000109&q=%E4%BD%A0%E5%A5%BD+x"},
		{name: "base path", method: "GET", path: "/hk/v3/global/statements?date=20250101&mch_id=1"},
		{name: "DELETE without body", method: "DELETE", path: "/v3/x"},
		{name: "PUT empty body", method: "PUT", path: "/v3/x",
			body: func() io.Reader { return bytes.NewReader(nil) }},
		{name: "lower-case method is upper-cased", method: "post", path: "/v3/x",
			body: func() io.Reader { return strings.NewReader(`{}`) }},
		{name: "media upload signs the meta JSON", method: "POST", path: "/v3/merchant-service/images/upload",
			body:   func() io.Reader { return bytes.NewReader(upload) },
			ctx:    func(ctx context.Context) context.Context { return middleware.WithSignedBody(ctx, []byte(meta)) },
			header: http.Header{"Content-Type": {contentType}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx(ctx)
			}
			var body io.Reader
			if tt.body != nil {
				body = tt.body()
			}
			req, err := http.NewRequestWithContext(ctx, tt.method, srv.URL+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.header {
				req.Header[k] = v
			}
			before := req.Header.Clone()
			nonces := make(map[string]bool)
			for attempt := range 2 { // each attempt is signed afresh
				if attempt == 1 && req.GetBody != nil {
					req.Body, _ = req.GetBody()
				} else if attempt == 1 && tt.body != nil {
					req.Body = io.NopCloser(tt.body())
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("server refused the signature: %d %s", resp.StatusCode, got)
				}
				nonce, _, _ := strings.Cut(string(got), " ")
				nonces[nonce] = true
			}
			if len(nonces) != 2 {
				t.Errorf("two attempts used %d distinct nonces, want 2", len(nonces))
			}
			if diff := cmp.Diff(before, req.Header); diff != "" {
				t.Errorf("the caller's request headers were modified (-before +after):\n%s", diff)
			}
			if req.Method != tt.method {
				t.Errorf("the caller's method became %q", req.Method)
			}
		})
	}
}

// multipartUpload builds an image upload: part "meta" then part "file",
// the 1x1 transparent GIF of protocol.md.
func multipartUpload(t *testing.T, meta string) ([]byte, string) {
	t.Helper()
	gif, err := base64.StdEncoding.DecodeString("R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="meta"`)
	h.Set("Content-Type", "application/json")
	p, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(p, meta)
	f, err := w.CreateFormFile("file", "transparent.gif")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(gif)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

// checkUpload is the server side of a media upload: it returns the meta
// part (what must have been signed) after checking the file's SHA-256
// against it.
func checkUpload(r *http.Request, body []byte) ([]byte, error) {
	_, params, _ := strings.Cut(r.Header.Get("Content-Type"), "boundary=")
	mr := multipart.NewReader(bytes.NewReader(body), params)
	var meta, file []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		b, _ := io.ReadAll(p)
		switch p.FormName() {
		case "meta":
			meta = b
		case "file":
			file = b
		}
	}
	sum := sha256.Sum256(file)
	if want := `"sha256":"` + hex.EncodeToString(sum[:]) + `"`; !bytes.Contains(meta, []byte(want)) {
		return nil, fmt.Errorf("meta %s does not carry %s", meta, want)
	}
	return meta, nil
}

// countingBody records how often it is closed.
type countingBody struct {
	r       io.Reader
	closes  atomic.Int32
	readErr error
}

func (c *countingBody) Read(p []byte) (int, error) {
	if c.readErr != nil {
		return 0, c.readErr
	}
	return c.r.Read(p)
}
func (c *countingBody) Close() error { c.closes.Add(1); return nil }

// failingKey is a crypto.Signer that cannot sign.
type failingKey struct{ pub crypto.PublicKey }

func (f failingKey) Public() crypto.PublicKey { return f.pub }
func (f failingKey) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("hsm offline")
}

// TestSignerClosesBodyExactlyOnce covers every path through the signer
// middleware with a body that counts its Close calls. next behaves per the
// RoundTripper contract: it closes whatever body it is given.
func TestSignerClosesBodyExactlyOnce(t *testing.T) {
	t.Parallel()
	good := merchantSigner(t)
	broken, err := signer.NewSigner(testMchID, testMerchantSerial, failingKey{&key(t, "merchant_key").PublicKey})
	if err != nil {
		t.Fatal(err)
	}
	const payload = `{"a":1}`
	tests := []struct {
		name        string
		signer      *signer.Signer
		body        string
		nilBody     bool
		noBody      bool
		withGetBody bool
		getBodyErr  bool
		readErr     bool
		signedBody  bool
		nextErr     bool
		wantErr     bool
		wantSent    string // body next received
		wantCalled  bool   // next was called
	}{
		{name: "GetBody present", signer: good, body: payload, withGetBody: true, wantSent: payload, wantCalled: true},
		{name: "GetBody absent", signer: good, body: payload, wantSent: payload, wantCalled: true},
		{name: "nil body", signer: good, nilBody: true, wantCalled: true},
		{name: "http.NoBody", signer: good, noBody: true, wantCalled: true},
		{name: "empty body", signer: good, body: "", wantCalled: true},
		{name: "signing error", signer: broken, body: payload, wantErr: true},
		{name: "signing error with GetBody", signer: broken, body: payload, withGetBody: true, wantErr: true},
		{name: "next returns an error", signer: good, body: payload, nextErr: true, wantErr: true, wantSent: payload, wantCalled: true},
		{name: "GetBody fails", signer: good, body: payload, withGetBody: true, getBodyErr: true, wantErr: true},
		{name: "body read fails", signer: good, body: payload, readErr: true, wantErr: true},
		{name: "signed body: original passed on", signer: good, body: "multipart bytes", signedBody: true, wantSent: "multipart bytes", wantCalled: true},
		{name: "signed body: signing error", signer: broken, body: "multipart bytes", signedBody: true, wantErr: true},
		{name: "signed body: next returns an error", signer: good, body: "multipart bytes", signedBody: true, nextErr: true, wantErr: true, wantSent: "multipart bytes", wantCalled: true},
		{name: "nil signer", signer: nil, body: payload, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			orig := &countingBody{r: strings.NewReader(tt.body)}
			if tt.readErr {
				orig.readErr = errors.New("connection reset")
			}
			var fromGetBody []*countingBody
			req, err := http.NewRequest(http.MethodPost, "https://api.mch.weixin.qq.com/v3/x", nil)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.nilBody:
			case tt.noBody:
				req.Body = http.NoBody
			default:
				req.Body = orig
				req.ContentLength = int64(len(tt.body))
			}
			if tt.withGetBody {
				req.GetBody = func() (io.ReadCloser, error) {
					if tt.getBodyErr {
						return nil, errors.New("cannot rewind")
					}
					c := &countingBody{r: strings.NewReader(tt.body)}
					fromGetBody = append(fromGetBody, c)
					return c, nil
				}
			}
			if tt.signedBody {
				req = req.WithContext(middleware.WithSignedBody(req.Context(), []byte(`{"filename":"a.gif"}`)))
			}
			called := false
			var sent []byte
			var sentLen int64
			next := transportFunc(func(r *http.Request) (*http.Response, error) {
				called = true
				if r.Header.Get("Authorization") == "" {
					t.Error("next got a request without Authorization")
				}
				sentLen = r.ContentLength
				if r.Body != nil {
					sent, _ = io.ReadAll(r.Body)
					r.Body.Close()
				}
				if tt.nextErr {
					return nil, errors.New("dial failed")
				}
				return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
			})
			resp, err := middleware.NewSigner(tt.signer)(next).RoundTrip(req)
			if (err != nil) != tt.wantErr {
				t.Fatalf("RoundTrip error = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && resp == nil {
				t.Fatal("nil response without error")
			}
			if err != nil && strings.Contains(err.Error(), "signature=") {
				t.Errorf("error %q leaks the Authorization header", err)
			}
			if called != tt.wantCalled {
				t.Errorf("next called = %v, want %v", called, tt.wantCalled)
			}
			if string(sent) != tt.wantSent {
				t.Errorf("next received body %q, want %q", sent, tt.wantSent)
			}
			if called && !tt.signedBody && sentLen != int64(len(tt.wantSent)) {
				t.Errorf("next received ContentLength %d, want %d", sentLen, len(tt.wantSent))
			}
			if !tt.nilBody && !tt.noBody {
				if n := orig.closes.Load(); n != 1 {
					t.Errorf("original body closed %d times, want exactly 1", n)
				}
			}
			for i, c := range fromGetBody {
				if n := c.closes.Load(); n != 1 {
					t.Errorf("GetBody reader %d closed %d times, want 1", i, n)
				}
			}
			if req.Header.Get("Authorization") != "" {
				t.Error("the caller's request got an Authorization header")
			}
		})
	}
}

// TestSignerCloneIsReplayable checks the clone's GetBody gives the signed
// bytes again (what net/http uses on a redirect or a retry of a fresh
// connection).
func TestSignerCloneIsReplayable(t *testing.T) {
	t.Parallel()
	var got [][]byte
	next := transportFunc(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		rc, err := r.GetBody()
		if err != nil {
			return nil, err
		}
		again, _ := io.ReadAll(rc)
		got = append(got, b, again)
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	req, _ := http.NewRequest("POST", "https://api.mch.weixin.qq.com/v3/x", onlyReader{strings.NewReader("payload")})
	if _, err := middleware.NewSigner(merchantSigner(t))(next).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]byte{[]byte("payload"), []byte("payload")}, got); diff != "" {
		t.Errorf("body and GetBody mismatch (-want +got):\n%s", diff)
	}
}

// benchBody is a typical ~200-byte JSON order body.
const benchBody = `{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"Image形象店-深圳腾大-QQ公仔","out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php","amount":{"total":100}}`

// BenchmarkSignRequest measures the signer middleware end to end (clone,
// body, nonce, message, RSA signature, header) in front of a no-op
// transport.
func BenchmarkSignRequest(b *testing.B) {
	rt := middleware.NewSigner(merchantSigner(b))(transportFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	}))
	body := []byte(benchBody)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest("POST", "https://api.mch.weixin.qq.com/v3/pay/transactions/native", bytes.NewReader(body))
		if _, err := rt.RoundTrip(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawSignPKCS1v15 is the floor: SHA-256 and rsa.SignPKCS1v15 of
// the same message, nothing else.
func BenchmarkRawSignPKCS1v15(b *testing.B) {
	k := key(b, "merchant_key")
	msg := []byte("POST\n/v3/pay/transactions/native\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n" + benchBody + "\n")
	b.SetBytes(int64(len(benchBody)))
	b.ReportAllocs()
	for b.Loop() {
		sum := sha256.Sum256(msg)
		if _, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, sum[:]); err != nil {
			b.Fatal(err)
		}
	}
}
