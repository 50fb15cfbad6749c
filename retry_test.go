package wechatpay_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/signer"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

func fastRetry(c *wechatpay.Config) {
	c.Retry = &wechatpay.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}
}

// timeoutErr is a net.Error timing out, like http.Client.Timeout's.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "Client.Timeout exceeded while awaiting headers" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }
func (timeoutErr) Is(target error) bool {
	return target == context.DeadlineExceeded
}

func TestRetryable(t *testing.T) {
	t.Parallel()
	wrappedVerification := fmt.Errorf("wechatpay: GET v3/x: %w", &signer.VerificationError{Rule: signer.RuleBadSignature})
	attemptTimeout := &url.Error{Op: "Get", URL: "https://api.mch.weixin.qq.com/v3/x", Err: timeoutErr{}}
	callerDeadline := &url.Error{Op: "Get", URL: "https://api.mch.weixin.qq.com/v3/x", Err: context.DeadlineExceeded}
	tests := []struct {
		method  string
		optedIn bool
		status  int
		err     error
		want    bool
	}{
		{"GET", false, 503, nil, true},
		{"GET", false, 500, nil, true},
		{"GET", false, 501, nil, false},
		{"GET", false, 429, nil, true},
		{"GET", false, 404, nil, false},
		{"GET", false, 400, nil, false},
		{"GET", false, 200, nil, false},
		{"PUT", false, 502, nil, true},
		{"DELETE", false, 0, errors.New("connection reset"), true},
		{"HEAD", false, 503, nil, true},
		{"POST", false, 503, nil, false},
		{"POST", true, 503, nil, true},
		{"PATCH", false, 0, errors.New("connection reset"), false},
		{"PATCH", true, 0, errors.New("connection reset"), true},
		{"GET", false, 0, context.Canceled, false},
		{"GET", false, 0, context.DeadlineExceeded, false},
		{"GET", false, 0, wrappedVerification, false},
		{"GET", false, 0, fmt.Errorf("x: %w", wechatpay.ErrTemplate), false},
		{"GET", false, 0, fmt.Errorf("x: %w", wechatpay.ErrResponseTooLarge), false},
		{"GET", false, 0, attemptTimeout, true},
		{"POST", true, 0, attemptTimeout, true},
		{"POST", false, 0, attemptTimeout, false},
		{"GET", false, 0, callerDeadline, false},
		{"GET", false, 0, x509.UnknownAuthorityError{}, false},
		{"GET", false, 0, &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, false},
		{"GET", false, 0, errors.New(`net/http: invalid header field value for "X"`), false},
		{"GET", false, 0, errors.New(`unsupported protocol scheme "ftp"`), false},
		{"POST", false, 202, nil, true},
		{"PATCH", false, 202, nil, true},
		{"GET", false, 202, nil, true},
	}
	for _, tt := range tests {
		if got := wechatpay.Retryable(tt.method, tt.optedIn, tt.status, tt.err); got != tt.want {
			t.Errorf("Retryable(%s, optedIn=%v, %d, %v) = %v, want %v", tt.method, tt.optedIn, tt.status, tt.err, got, tt.want)
		}
	}
}

// TestRetrySignsEveryAttemptAfresh makes the server fail twice with 503,
// then checks that the third attempt succeeded, that the server verified
// every attempt and that each carried its own nonce.
func TestRetrySignsEveryAttemptAfresh(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, fastRetry)
	srv.Fault("POST", seedTemplate, wechatpaytest.Fault{Status: http.StatusServiceUnavailable, Times: 2})
	opts := seedOptions()
	opts["retry"] = true
	if _, err := client.Chain(seedTemplate).Post(context.Background(), opts); err != nil {
		t.Fatalf("post with retries: %v", err)
	}
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("server saw %d attempts, want 3", len(reqs))
	}
	nonces := map[string]bool{}
	for i, r := range reqs {
		if !r.Authorized {
			t.Errorf("attempt %d not verified by the server: %s", i+1, r.AuthFailure)
		}
		_, rest, _ := strings.Cut(r.Header.Get("Authorization"), `nonce_str="`)
		nonce, _, _ := strings.Cut(rest, `"`)
		if nonce == "" || nonces[nonce] {
			t.Errorf("attempt %d nonce %q is empty or repeated", i+1, nonce)
		}
		nonces[nonce] = true
	}
}

func TestRetryRules(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, fastRetry)
	ctx := context.Background()

	t.Run("POST without opt-in is not retried", func(t *testing.T) {
		srv.Reset()
		srv.Fault("POST", seedTemplate, wechatpaytest.Fault{Status: http.StatusServiceUnavailable, Times: 1})
		_, err := client.Chain(seedTemplate).Post(ctx, seedOptions())
		var apiErr *wechatpay.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
			t.Errorf("err = %v, want the 503 APIError", err)
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("attempts = %d, want 1", n)
		}
		srv.ClearFaults()
	})
	t.Run("429 with Retry-After is retried for GET", func(t *testing.T) {
		srv.Reset()
		srv.Fault("GET", "v3/certificates", wechatpaytest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Millisecond, Times: 1})
		_, err := client.Chain("v3/certificates").Get(ctx, nil)
		var apiErr *wechatpay.APIError
		// public-key mode answers 404 RESOURCE_NOT_EXISTS once the 429 is past
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
			t.Errorf("err = %v, want the 404 after one retry", err)
		}
		if n := len(srv.Requests()); n != 2 {
			t.Errorf("attempts = %d, want 2", n)
		}
		srv.ClearFaults()
	})
	t.Run("verification failure is not retried", func(t *testing.T) {
		srv.Reset()
		srv.Fault("POST", seedTemplate, wechatpaytest.Fault{TamperSignature: true, Times: 1})
		opts := seedOptions()
		opts["retry"] = true
		_, err := client.Chain(seedTemplate).Post(ctx, opts)
		if !errors.Is(err, wechatpay.ErrVerification) {
			t.Errorf("err = %v, want ErrVerification", err)
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("attempts = %d, want 1", n)
		}
		srv.ClearFaults()
	})
	t.Run("4xx is not retried", func(t *testing.T) {
		srv.Reset()
		_, err := client.Chain("v3/no/such").Get(ctx, nil)
		if err == nil {
			t.Fatal("want an error")
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("attempts = %d, want 1", n)
		}
	})
	t.Run("gives up after MaxRetries", func(t *testing.T) {
		srv.Reset()
		srv.Fault("GET", "v3/certificates", wechatpaytest.Fault{Status: http.StatusBadGateway})
		_, err := client.Chain("v3/certificates").Get(ctx, nil)
		var apiErr *wechatpay.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 {
			t.Errorf("err = %v, want the final 502", err)
		}
		if n := len(srv.Requests()); n != 4 {
			t.Errorf("attempts = %d, want 1 + 3 retries", n)
		}
		srv.ClearFaults()
	})
}

// TestRetryAfterIsHonoured checks that a 429 answer's Retry-After: 1 is
// the wait resty is given (well above the policy's 1 ms minimum backoff),
// through the client's wait hook, which then spends 1 ns instead.
func TestRetryAfterIsHonoured(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, func(c *wechatpay.Config) {
		c.Retry = &wechatpay.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: 3 * time.Second}
	})
	var asked []time.Duration
	wechatpay.SetRetryWaitHook(client, func(d time.Duration) time.Duration {
		asked = append(asked, d)
		return time.Nanosecond
	})
	srv.Fault("GET", "v3/certificates", wechatpaytest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second, Times: 1})
	_, err := client.Chain("v3/certificates").Get(context.Background(), nil)
	var apiErr *wechatpay.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Fatalf("err = %v, want the 404 that follows the 429", err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("attempts = %d, want 2", len(reqs))
	}
	if diff := cmp.Diff([]time.Duration{time.Second}, asked); diff != "" {
		t.Errorf("waits asked for (-want +got):\n%s", diff)
	}
}

// TestAttemptTimeoutIsRetried holds the first answer past Config.Timeout
// and checks the GET is tried again and succeeds.
func TestAttemptTimeoutIsRetried(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, func(c *wechatpay.Config) {
		fastRetry(c)
		c.Timeout = 500 * time.Millisecond
	})
	var n atomic.Int32
	srv.Handle("GET", "v3/slow", func(r *wechatpaytest.Request) wechatpaytest.Reply {
		if n.Add(1) == 1 {
			<-r.Context().Done() // the client times out and goes away
		}
		return wechatpaytest.JSON(200, wechatpaytest.M{"ok": true})
	})
	resp, err := client.Chain("v3/slow").Get(context.Background(), nil)
	if err != nil || !resp.Get("ok").Bool() {
		t.Fatalf("Get = %v; want success on the second attempt", err)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("attempts = %d, want 2", got)
	}
}

// TestCallerDeadlineIsNotRetried checks that the caller's own expired
// context ends the call after one attempt.
func TestCallerDeadlineIsNotRetried(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, fastRetry)
	var n atomic.Int32
	srv.Handle("GET", "v3/slow", func(r *wechatpaytest.Request) wechatpaytest.Reply {
		n.Add(1)
		<-r.Context().Done()
		return wechatpaytest.NoContent()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := client.Chain("v3/slow").Get(ctx, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("attempts = %d, want 1", got)
	}
}

// Test202IsRepeated answers a POST 202 (accepted, not processed) once and
// checks it is repeated with the same body, without a "retry" opt-in.
func Test202IsRepeated(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, fastRetry)
	srv.Fault("POST", seedTemplate, wechatpaytest.Fault{Status: http.StatusAccepted, Times: 1})
	resp, err := client.Chain(seedTemplate).Post(context.Background(), seedOptions())
	if err != nil || resp.StatusCode() != 204 {
		t.Fatalf("Post = %v, %v; want the 204 after the 202", resp, err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || string(reqs[0].Body) != string(reqs[1].Body) || reqs[0].Status != 202 {
		t.Errorf("server saw %d attempts (%+v), want a 202 then the same request again", len(reqs), reqs)
	}
}

// TestTLSCertificateErrorIsNotRetried sends a GET to a TLS server whose
// certificate the client does not trust and counts the attempts.
func TestTLSCertificateErrorIsNotRetried(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	srv := newServer(t)
	counting := &countingTransport{next: &http.Transport{}}
	client := newClient(t, srv, func(c *wechatpay.Config) {
		fastRetry(c)
		c.BaseURL = tlsSrv.URL
		c.Transport = counting
	})
	_, err := client.Chain("v3/x").Get(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("err = %v, want a certificate error", err)
	}
	if got := counting.n.Load(); got != 1 {
		t.Errorf("attempts = %d, want 1", got)
	}
}

// TestBackoffHoldsNoSlot checks that with MaxConcurrent 1 a call waiting
// in retry backoff does not hold the slot: another call completes during
// the wait (the wait hook runs it).
func TestBackoffHoldsNoSlot(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, func(c *wechatpay.Config) {
		fastRetry(c)
		c.MaxConcurrent = 1
	})
	srv.Handle("GET", "v3/other", func(*wechatpaytest.Request) wechatpaytest.Reply { return wechatpaytest.NoContent() })
	srv.Fault("GET", "v3/certificates", wechatpaytest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second, Times: 1})
	var during error = errors.New("the wait hook did not run")
	wechatpay.SetRetryWaitHook(client, func(time.Duration) time.Duration {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, during = client.Chain("v3/other").Get(ctx, nil)
		return time.Nanosecond
	})
	_, err := client.Chain("v3/certificates").Get(context.Background(), nil)
	var apiErr *wechatpay.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("err = %v, want the 404 after the 429", err)
	}
	if during != nil {
		t.Errorf("a call during the backoff: %v, want it to get the free slot", during)
	}
}
