package wechatpay_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// txResource is a TRANSACTION.SUCCESS resource; its payer openid is the
// "plaintext" that must never reach a log or an error.
func txResource() wechatpay.M {
	return wechatpay.M{
		"mchid": "1230000109", "appid": "wxd678efh567hg6787",
		"out_trade_no": "1217752501201407033233368018", "transaction_id": "4200000000202612010000000001",
		"trade_state": "SUCCESS", "payer": wechatpay.M{"openid": "oPLAINTEXT_openid_must_not_leak"},
		"amount": wechatpay.M{"total": 100, "payer_total": 100, "currency": "CNY"},
	}
}

const plaintextMarker = "oPLAINTEXT_openid_must_not_leak"

// captured is a handler that records the notifications it was given.
type captured struct {
	mu  sync.Mutex
	got []*wechatpay.Notification
	err error // returned by the handler
	pan any   // panicked with, when not nil
}

func (c *captured) fn(ctx context.Context, n *wechatpay.Notification) error {
	if ctx == nil {
		panic("nil context")
	}
	c.mu.Lock()
	c.got = append(c.got, n)
	c.mu.Unlock()
	if c.pan != nil {
		panic(c.pan)
	}
	return c.err
}

func (c *captured) calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.got)
}

var (
	otherKeyOnce sync.Once
	otherKey     *rsa.PrivateKey
)

// attackerKey is an RSA key neither the server nor the client trusts.
func attackerKey(t testing.TB) *rsa.PrivateKey {
	otherKeyOnce.Do(func() {
		var err error
		if otherKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return otherKey
}

// TestNotificationHandlerFaults sends every kind of bad callback to the
// handler and checks the status it answers, that fn ran only for good ones,
// the FAIL body, and the log level.
func TestNotificationHandlerFaults(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	srv := newServer(t, wechatpaytest.WithClock(clock))
	alter := func(f func(*wechatpaytest.EncryptedResource)) wechatpaytest.NotifyOption {
		return wechatpaytest.NotifyAlterResource(f)
	}
	drop := func(name string) func(*http.Request) { return func(r *http.Request) { r.Header.Del(name) } }

	tests := []struct {
		name      string
		opts      []wechatpaytest.NotifyOption
		change    func(*http.Request)
		fnErr     error
		fnPanic   any
		want      int
		wantLevel string // of the log record; "" for none
		wantIs    []error
	}{
		{name: "good", want: http.StatusNoContent},
		{name: "timestamp 300 s behind", opts: []wechatpaytest.NotifyOption{wechatpaytest.NotifyClockSkew(-300 * time.Second)}, want: http.StatusNoContent},
		{name: "timestamp 300 s ahead", opts: []wechatpaytest.NotifyOption{wechatpaytest.NotifyClockSkew(300 * time.Second)}, want: http.StatusNoContent},
		{name: "missing Wechatpay-Timestamp", change: drop("Wechatpay-Timestamp"), want: 401, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrVerification}},
		{name: "missing Wechatpay-Nonce", change: drop("Wechatpay-Nonce"), want: 401, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrVerification}},
		{name: "missing Wechatpay-Signature", change: drop("Wechatpay-Signature"), want: 401, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrVerification}},
		{name: "missing Wechatpay-Serial", change: drop("Wechatpay-Serial"), want: 401, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrVerification}},
		{name: "stale timestamp", opts: []wechatpaytest.NotifyOption{wechatpaytest.NotifyClockSkew(-301 * time.Second)}, want: 401, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrVerification}},
		{name: "future timestamp", opts: []wechatpaytest.NotifyOption{wechatpaytest.NotifyClockSkew(301 * time.Second)}, want: 401, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrVerification}},
		{name: "unknown serial", change: func(r *http.Request) { r.Header.Set("Wechatpay-Serial", "PUB_KEY_ID_0199999999999999999999999999") }, want: 401, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrVerification}},
		{name: "other key", opts: []wechatpaytest.NotifyOption{wechatpaytest.NotifySignedBy(attackerKey(t), srv.PlatformSerial())}, want: 401, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrVerification}},
		{name: "probe", opts: []wechatpaytest.NotifyOption{wechatpaytest.NotifyProbe()}, want: 401, wantLevel: "WARN", wantIs: []error{wechatpay.ErrVerification, wechatpay.ErrSignatureProbe}},
		{name: "body changed after signing", change: func(r *http.Request) {
			replaceBody(r, bytes.Replace(readBody(r), []byte(`"TRANSACTION.SUCCESS"`), []byte(`"REFUND.SUCCESS"`), 1))
		}, want: 401, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrVerification}},
		{name: "other signature type", change: func(r *http.Request) { r.Header.Set("Wechatpay-Signature-Type", "WECHATPAY2-SM2-WITH-SM3") }, want: 401, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrVerification}},
		{name: "tampered ciphertext", opts: []wechatpaytest.NotifyOption{alter(func(r *wechatpaytest.EncryptedResource) { r.Ciphertext = flipBase64(r.Ciphertext) })}, want: 400, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrDecryption}},
		{name: "wrong associated data", opts: []wechatpaytest.NotifyOption{alter(func(r *wechatpaytest.EncryptedResource) { r.AssociatedData = "refund" })}, want: 400, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrDecryption}},
		{name: "wrong nonce", opts: []wechatpaytest.NotifyOption{alter(func(r *wechatpaytest.EncryptedResource) { r.Nonce = "000000000000" })}, want: 400, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrDecryption}},
		{name: "unknown algorithm", opts: []wechatpaytest.NotifyOption{alter(func(r *wechatpaytest.EncryptedResource) { r.Algorithm = "AEAD_SM4_GCM" })}, want: 400, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrDecryption}},
		{name: "ciphertext not base64", opts: []wechatpaytest.NotifyOption{alter(func(r *wechatpaytest.EncryptedResource) { r.Ciphertext = "%%%" })}, want: 400, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrDecryption}},
		{name: "oversize body", change: func(r *http.Request) { replaceBody(r, bytes.Repeat([]byte{' '}, wechatpay.MaxNotificationBytes+1)) }, want: 413, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrNotificationTooLarge}},
		{name: "oversize body, no Content-Length", change: func(r *http.Request) {
			replaceBody(r, bytes.Repeat([]byte{' '}, wechatpay.MaxNotificationBytes+1))
			r.ContentLength = -1
		}, want: 413, wantLevel: "ERROR", wantIs: []error{wechatpay.ErrNotificationTooLarge}},
		{name: "wrong method", change: func(r *http.Request) { r.Method = http.MethodGet }, want: 405, wantLevel: "ERROR"},
		{name: "handler error", fnErr: errors.New("database down"), want: 500, wantLevel: "ERROR"},
		{name: "handler panic", fnPanic: "boom", want: 500, wantLevel: "ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logBuf syncBuffer
			client := newClient(t, srv, func(c *wechatpay.Config) {
				c.Clock = clock
				c.Logger = slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			})
			h := &captured{err: tt.fnErr, pan: tt.fnPanic}
			req, err := srv.NewNotifyRequest(context.Background(), "http://merchant.test/notify", "TRANSACTION.SUCCESS", txResource(), tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if tt.change != nil {
				tt.change(req)
			}
			// ParseNotification sees the same callback (for the error match).
			body := readBody(req)
			replaceBody(req, body)
			_, parseErr := client.ParseNotificationBytes(context.Background(), req.Header, body)

			rec := httptest.NewRecorder()
			client.NotificationHandler(h.fn).ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.want, rec.Body)
			}
			wantCalls := 0
			if tt.want == 204 || tt.want == 500 {
				wantCalls = 1
			}
			if got := h.calls(); got != wantCalls {
				t.Errorf("fn called %d times, want %d", got, wantCalls)
			}
			if tt.want == 204 {
				if parseErr != nil {
					t.Errorf("ParseNotificationBytes: %v", parseErr)
				}
				n := h.got[0]
				if n.EventType != "TRANSACTION.SUCCESS" || n.Get("amount.total").Int() != 100 || n.OriginalType != "transaction" || n.ResourceType != "encrypt-resource" || n.ID == "" {
					t.Errorf("notification %v: %s", n, n.Plaintext())
				}
				if rec.Body.Len() != 0 || logBuf.String() != "" {
					t.Errorf("success wrote body %q, log %q", rec.Body, logBuf.String())
				}
				return
			}
			var fail struct{ Code, Message string }
			if err := json.Unmarshal(rec.Body.Bytes(), &fail); err != nil || fail.Code != "FAIL" || fail.Message == "" {
				t.Errorf("body %q is not {code:FAIL,message}", rec.Body)
			}
			for _, want := range tt.wantIs {
				if !errors.Is(parseErr, want) {
					t.Errorf("ParseNotificationBytes error %v does not match %v", parseErr, want)
				}
			}
			if parseErr != nil && strings.Count(parseErr.Error(), "wechatpay:") != 1 {
				t.Errorf("error %q does not carry exactly one wechatpay: prefix", parseErr)
			}
			log := logBuf.String()
			if !strings.Contains(log, "level="+tt.wantLevel) || strings.Count(log, "\n") != 1 {
				t.Errorf("log %q, want one record at %s", log, tt.wantLevel)
			}
			for _, secret := range []string{srv.APIv3Key(), plaintextMarker} {
				if strings.Contains(log, secret) || strings.Contains(rec.Body.String(), secret) || (parseErr != nil && strings.Contains(parseErr.Error(), secret)) {
					t.Errorf("secret %q leaked: log %q body %q", secret, log, rec.Body)
				}
			}
			if tt.fnErr != nil && strings.Contains(rec.Body.String(), tt.fnErr.Error()) {
				t.Errorf("fn's error text reached WeChat Pay: %s", rec.Body)
			}
		})
	}
}

// TestNotificationKnownAnswers decrypts the three AES-GCM vectors of
// protocol.md through the callback path: a signed callback whose resource
// carries the vector's nonce, associated data and ciphertext.
func TestNotificationKnownAnswers(t *testing.T) {
	t.Parallel()
	const key = "0123456789abcdef0123456789abcdef"
	srv := newServer(t, wechatpaytest.WithAPIv3Key(key))
	client := newClient(t, srv, nil)
	vectors := []struct{ nonce, aad, plaintext, ciphertext string }{
		{"0123456789ab", "transaction", "hello wechatpay 你好 微信支付", "8cyLVizq736WbULJw2UFB6Y7dCqydUqOmiErpmgeDQbOxP9Gigm1lFT7pqwSgMoBlUYd"},
		{"abcdefghijkl", "certificate", `{"a":1}`, "Eu6onfHUEIosXZ2dzH6+OJ3Bk51x2D4="},
		{"0123456789abcdef", "", "hello", "APoZlYqWRRz+/rRoTiEaxlXUiZD8"},
	}
	for _, v := range vectors {
		req, err := srv.NewNotifyRequest(context.Background(), "http://merchant.test/", "TRANSACTION.SUCCESS", []byte("ignored"),
			wechatpaytest.NotifyAlterResource(func(r *wechatpaytest.EncryptedResource) {
				r.Nonce, r.AssociatedData, r.Ciphertext = v.nonce, v.aad, v.ciphertext
			}))
		if err != nil {
			t.Fatal(err)
		}
		n, err := client.ParseNotification(req)
		if err != nil {
			t.Fatalf("vector %q: %v", v.plaintext, err)
		}
		if diff := cmp.Diff(v.plaintext, string(n.Plaintext())); diff != "" {
			t.Errorf("vector nonce %q (-want +got):\n%s", v.nonce, diff)
		}
	}
}

// TestNotificationEndToEnd runs two merchants side by side in one process:
// each server posts TRANSACTION.SUCCESS and REFUND.SUCCESS callbacks over
// HTTP to its merchant's handler, and a callback posted to the other
// merchant's handler is refused.
func TestNotificationEndToEnd(t *testing.T) {
	t.Parallel()
	srvA, srvB := newServer(t), newServer(t, wechatpaytest.WithMchID("1900000109"))
	hA, hB := &captured{}, &captured{}
	mux := http.NewServeMux()
	mux.Handle("/a/notify", newClient(t, srvA, nil).NotificationHandler(hA.fn))
	mux.Handle("/b/notify", newClient(t, srvB, nil).NotificationHandler(hB.fn))
	merchant := httptest.NewServer(mux)
	defer merchant.Close()
	ctx := context.Background()

	refund := wechatpay.M{"out_refund_no": "1217752501201407033233368018R1", "refund_status": "SUCCESS", "amount": wechatpay.M{"refund": 50}}
	for _, c := range []struct {
		srv      *wechatpaytest.Server
		path     string
		event    string
		resource any
		want     int
	}{
		{srvA, "/a/notify", "TRANSACTION.SUCCESS", txResource(), 204},
		{srvA, "/a/notify", "REFUND.SUCCESS", refund, 204},
		{srvB, "/b/notify", "TRANSACTION.SUCCESS", txResource(), 204},
		{srvA, "/b/notify", "TRANSACTION.SUCCESS", txResource(), 401}, // A's key is unknown to B
	} {
		resp, err := c.srv.Notify(ctx, merchant.URL+c.path, c.event, c.resource)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s to %s: status %d, want %d", c.event, c.path, resp.StatusCode, c.want)
		}
	}
	if hA.calls() != 2 || hB.calls() != 1 {
		t.Fatalf("handler A got %d, B got %d callbacks; want 2 and 1", hA.calls(), hB.calls())
	}
	if got := hA.got[0].Get("out_trade_no").String(); got != "1217752501201407033233368018" {
		t.Errorf("out_trade_no %q", got)
	}
	var r struct {
		OutRefundNo string               `json:"out_refund_no"`
		Amount      struct{ Refund int } `json:"amount"`
	}
	if err := hA.got[1].Decode(&r); err != nil || r.OutRefundNo != "1217752501201407033233368018R1" || r.Amount.Refund != 50 {
		t.Errorf("refund decoded to %+v, %v", r, err)
	}
	if s := hA.got[0].String() + hA.got[0].GoString(); strings.Contains(s, plaintextMarker) {
		t.Errorf("String leaks the resource: %s", s)
	}
}

// replaceBody makes r carry b.
func replaceBody(r *http.Request, b []byte) {
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.ContentLength = int64(len(b))
}

// readBody reads r's body (and leaves r without one).
func readBody(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	return b
}

// flipBase64 changes one character of a base64 string, keeping it base64.
func flipBase64(s string) string {
	b := []byte(s)
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	return string(b)
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
