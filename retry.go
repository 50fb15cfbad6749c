package wechatpay

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-resty/resty/v2"
)

// RetryPolicy says when and how often a failed attempt is tried again.
// Every attempt is signed afresh (new timestamp and nonce).
//
// What is retried is decided by [Retryable]: transport errors, 429 and 5xx
// answers, for GET, HEAD, PUT and DELETE; POST and PATCH only when the
// request's options say "retry": true. Never retried: verification
// failures, template errors, a cancelled or expired context, 4xx other than
// 429.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt; 0 means 3.
	MaxRetries int
	// MinWait is the first backoff step; 0 means 100 ms. Waits grow
	// exponentially with jitter, capped at MaxWait.
	MinWait time.Duration
	// MaxWait caps every wait, including one asked for by Retry-After;
	// 0 means 5 s.
	MaxWait time.Duration
}

// withDefaults fills the zero fields of p.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxRetries <= 0 {
		p.MaxRetries = 3
	}
	if p.MinWait <= 0 {
		p.MinWait = 100 * time.Millisecond
	}
	if p.MaxWait <= 0 {
		p.MaxWait = 5 * time.Second
	}
	if p.MaxWait < p.MinWait {
		p.MaxWait = p.MinWait
	}
	return p
}

// Retryable is the retry rule: it reports whether an attempt that ended
// with status (0 when there is no answer) or err may be tried again.
// optedIn is the request's "retry" option.
func Retryable(method string, optedIn bool, status int, err error) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete:
	case http.MethodPost, http.MethodPatch:
		if !optedIn {
			return false
		}
	default:
		return false
	}
	if err != nil {
		return !errors.Is(err, context.Canceled) &&
			!errors.Is(err, context.DeadlineExceeded) &&
			!errors.Is(err, ErrVerification) &&
			!errors.Is(err, ErrTemplate) &&
			!errors.Is(err, ErrPanic)
	}
	return status == http.StatusTooManyRequests || (status >= 500 && status != http.StatusNotImplemented)
}

// retryCondition adapts Retryable to resty for one request.
func retryCondition(method string, optedIn bool) resty.RetryConditionFunc {
	return func(r *resty.Response, err error) bool {
		status := 0
		if err == nil && r != nil {
			status = r.StatusCode()
		}
		return Retryable(method, optedIn, status, err)
	}
}

// retryAfter reads a Retry-After header (seconds or an HTTP date). Zero
// lets resty use its exponential backoff with jitter.
func retryAfter(_ *resty.Client, r *resty.Response) (time.Duration, error) {
	if r == nil {
		return 0, nil
	}
	v := r.Header().Get("Retry-After")
	if v == "" {
		return 0, nil
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, nil
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d, nil
		}
	}
	return 0, nil
}
