package wechatpay_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

func fastRetry(c *wechatpay.Config) {
	c.Retry = &wechatpay.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}
}

func TestRetryable(t *testing.T) {
	t.Parallel()
	verr := &struct{ error }{wechatpay.ErrVerification}
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
		{"GET", false, 0, verr.error, false},
		{"GET", false, 0, wechatpay.ErrTemplate, false},
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

// TestRetryAfterIsHonoured checks, from the server's own arrival times,
// that a 429 answer's Retry-After: 1 held the retry back about a second
// (well above the policy's 1 ms minimum backoff).
func TestRetryAfterIsHonoured(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, func(c *wechatpay.Config) {
		c.Retry = &wechatpay.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: 3 * time.Second}
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
	if gap := reqs[1].Time.Sub(reqs[0].Time); gap < 900*time.Millisecond {
		t.Errorf("retry came %v after the 429, want about 1 s (Retry-After)", gap)
	}
}
