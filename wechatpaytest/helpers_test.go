package wechatpaytest

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// otherKey is an RSA key that is neither the merchant's nor the platform's.
var otherKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// testClient sends the tests' requests; every server's Close ends its
// connections.
var testClient = &http.Client{Transport: &http.Transport{}}

// creds is what the test side signs a request with.
type creds struct {
	mchid, serial string
	key           *rsa.PrivateKey
	ts            int64
	nonce         string
}

// credsFor returns correct credentials for s at the server's current time.
func credsFor(s *Server) creds {
	return creds{mchid: s.MchID(), serial: s.MerchantSerial(), key: s.MerchantKey(), ts: s.now().Unix(), nonce: nonce(32)}
}

// authorization signs METHOD\nURI\nTS\nNONCE\nBODY\n and formats the header
// as the protocol document says (written independently of the server's
// parser so the two check each other).
func (c creds) authorization(method, uri string, body []byte) string {
	ts := strconv.FormatInt(c.ts, 10)
	msg := method + "\n" + uri + "\n" + ts + "\n" + c.nonce + "\n" + string(body) + "\n"
	digest := sha256.Sum256([]byte(msg))
	sig, err := rsa.SignPKCS1v15(rand.Reader, c.key, crypto.SHA256, digest[:])
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf(`WECHATPAY2-SHA256-RSA2048 mchid="%s",serial_no="%s",timestamp="%s",nonce_str="%s",signature="%s"`,
		c.mchid, c.serial, ts, c.nonce, base64.StdEncoding.EncodeToString(sig))
}

// answer is a received response.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// code returns the "code" of a JSON error body.
func (a answer) code() string {
	var e struct{ Code string }
	_ = json.Unmarshal(a.body, &e)
	return e.Code
}

// message returns the "message" of a JSON error body.
func (a answer) message() string {
	var e struct{ Message string }
	_ = json.Unmarshal(a.body, &e)
	return e.Message
}

// newRequest builds a request to s.URL+path.
func newRequest(t testing.TB, s *Server, method, path string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	return req
}

// send sends req and reads the answer.
func send(t testing.TB, req *http.Request) answer {
	t.Helper()
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

// call signs a request correctly and sends it.
func call(t testing.TB, s *Server, method, path string, body []byte) answer {
	t.Helper()
	a, err := tryCall(s, method, path, body)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// tryCall is call for goroutines other than the test's.
func tryCall(s *Server, method, path string, body []byte) (answer, error) {
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", credsFor(s).authorization(method, req.URL.RequestURI(), body))
	resp, err := testClient.Do(req)
	if err != nil {
		return answer{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	return answer{resp.StatusCode, resp.Header, b}, nil
}

// mustJSON marshals v.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// verifyAnswer checks an answer's signature as a client must: the four
// headers, the 300 s window against now, the serial, and RSA-SHA256 over
// TS\nNONCE\nBODY\n.
func verifyAnswer(h http.Header, body []byte, serial string, pub *rsa.PublicKey, now time.Time) error {
	for _, k := range []string{HeaderTimestamp, HeaderNonce, HeaderSignature, HeaderSerial} {
		if h.Get(k) == "" {
			return fmt.Errorf("missing %s", k)
		}
	}
	if got := h.Get(HeaderSerial); got != serial {
		return fmt.Errorf("serial %q, want %q", got, serial)
	}
	ts, err := strconv.ParseInt(h.Get(HeaderTimestamp), 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	if d := now.Unix() - ts; d > 300 || d < -300 {
		return fmt.Errorf("timestamp %d is %d s away", ts, d)
	}
	if n := h.Get(HeaderNonce); len(n) != 32 || strings.Trim(n, alnum) != "" {
		return fmt.Errorf("nonce %q is not 32 alphanumerics", n)
	}
	sig, err := base64.StdEncoding.DecodeString(h.Get(HeaderSignature))
	if err != nil {
		return fmt.Errorf("signature base64: %w", err)
	}
	digest := sha256.Sum256([]byte(h.Get(HeaderTimestamp) + "\n" + h.Get(HeaderNonce) + "\n" + string(body) + "\n"))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		return errors.New("signature does not verify")
	}
	return nil
}

// mustVerify fails the test when the answer is not correctly signed by s.
func mustVerify(t testing.TB, s *Server, a answer) {
	t.Helper()
	if err := verifyAnswer(a.header, a.body, s.PlatformSerial(), s.PlatformKey(), s.now()); err != nil {
		t.Fatalf("answer %d %s is not correctly signed: %v", a.status, a.body, err)
	}
	if a.header.Get("Request-ID") == "" {
		t.Fatal("answer has no Request-ID")
	}
}

// newServer starts a server closed at the end of the test.
func newServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// fixedClock is a settable clock.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// nativeOrder is a valid Native prepay body for s.
func nativeOrder(s *Server, outTradeNo string) map[string]any {
	return map[string]any{
		"appid":        "wxd678efh567hg6787",
		"mchid":        s.MchID(),
		"description":  "Image形象店-深圳腾大-QQ公仔",
		"out_trade_no": outTradeNo,
		"notify_url":   "https://www.weixin.qq.com/wxpay/pay.php",
		"amount":       map[string]any{"total": 100, "currency": "CNY"},
	}
}
