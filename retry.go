package wechatpay

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// RetryPolicy says when and how often a failed attempt is tried again.
// Every attempt is signed afresh (new timestamp and nonce). resty runs the
// loop, the backoff with jitter and Retry-After; [Retryable] decides.
//
// What is retried (after go-retryablehttp, and the status table of the
// WeChat Pay docs): a 202 answer (accepted, not processed: repeat with the
// same parameters) for every method; transport errors, a per-attempt
// Config.Timeout, 429 and 5xx answers (but 501) for GET, HEAD, PUT and
// DELETE, and for POST and PATCH only when the request's options say
// "retry": true. Never retried: the caller's own cancelled or expired
// context, verification failures, template errors, an answer over
// Config.MaxResponseBytes, a refused or overlong redirect chain, TLS
// certificate errors, invalid headers, an unsupported scheme, and 4xx
// answers other than 429.
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
// optedIn is the request's "retry" option. A bare context.Canceled or
// context.DeadlineExceeded is the caller's context and is not retried; a
// per-attempt timeout (http.Client.Timeout, Config.Timeout) is.
func Retryable(method string, optedIn bool, status int, err error) bool {
	if err == nil && status == http.StatusAccepted {
		return true // not processed yet: repeating it is what the API asks
	}
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
		return !permanent(err)
	}
	return status == http.StatusTooManyRequests || (status >= 500 && status != http.StatusNotImplemented)
}

// permanent reports whether err is a failure that repeating cannot fix.
func permanent(err error) bool {
	if errors.Is(err, context.Canceled) || contains(err, context.DeadlineExceeded) ||
		errors.Is(err, ErrVerification) || errors.Is(err, ErrTemplate) ||
		errors.Is(err, ErrPanic) || errors.Is(err, ErrResponseTooLarge) ||
		errors.Is(err, errRedirect) {
		return true
	}
	var (
		unknownCA   x509.UnknownAuthorityError
		invalidCert x509.CertificateInvalidError
		hostname    x509.HostnameError
		tlsVerify   *tls.CertificateVerificationError
		recordHdr   tls.RecordHeaderError
	)
	if errors.As(err, &unknownCA) || errors.As(err, &invalidCert) || errors.As(err, &hostname) ||
		errors.As(err, &tlsVerify) || errors.As(err, &recordHdr) {
		return true
	}
	// net/http reports these only as text (go-retryablehttp matches them
	// the same way).
	msg := err.Error()
	if strings.Contains(msg, "unsupported protocol scheme") || strings.Contains(msg, "invalid header field") ||
		strings.Contains(msg, "invalid method") || strings.Contains(msg, "certificate is not trusted") {
		return true
	}
	return false // a transport error or a per-attempt timeout: worth another attempt
}

// contains reports whether target itself (by identity, not through an Is
// method) is in err's chain. http.Client.Timeout errors claim to be
// context.DeadlineExceeded through Is; the caller's own expired context is
// the value itself.
func contains(err, target error) bool {
	for err != nil {
		if err == target {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if contains(e, target) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// errAttemptTimeout stands for an attempt that ran out of Config.Timeout
// while the caller's context was still alive: a transport error.
var errAttemptTimeout = errors.New("wechatpay: attempt timed out (Config.Timeout)")

// retryCondition adapts Retryable to resty for one request. When it asks
// for another attempt it drains and closes the answer it gives up on (the
// client reads bodies itself, see send), so the connection is reused and
// the MaxConcurrent slot is free during the backoff. retries is the
// client's retry count: the last attempt's answer is kept for the caller.
func retryCondition(ctx context.Context, method string, optedIn bool, retries int) resty.RetryConditionFunc {
	return func(r *resty.Response, err error) bool {
		if ctx.Err() != nil {
			return false
		}
		status := 0
		if err == nil && r != nil {
			status = r.StatusCode()
		}
		if err != nil && errors.Is(err, context.DeadlineExceeded) {
			// The caller's ctx is alive, so this deadline was the attempt's
			// own (Config.Timeout), however net/http happened to word it.
			err = errAttemptTimeout
		}
		if !Retryable(method, optedIn, status, err) {
			return false
		}
		if r != nil && r.Request != nil && r.Request.Attempt <= retries && r.RawResponse != nil && r.RawResponse.Body != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(r.RawResponse.Body, 4<<10))
			r.RawResponse.Body.Close()
		}
		return true
	}
}

// retryAfter returns resty's RetryAfterFunc: it reads a Retry-After header
// (seconds or an HTTP date, against now). Zero lets resty use its
// exponential backoff with jitter. wait, when not nil, sees the chosen
// wait and returns the one resty sleeps (tests use it to check the wait
// without spending it).
func retryAfter(now func() time.Time, wait func(time.Duration) time.Duration) resty.RetryAfterFunc {
	return func(_ *resty.Client, r *resty.Response) (time.Duration, error) {
		d := retryAfterHeader(r, now)
		if wait != nil && d > 0 {
			d = wait(d)
		}
		return d, nil
	}
}

// retryAfterHeader parses the Retry-After header of r.
func retryAfterHeader(r *resty.Response, now func() time.Time) time.Duration {
	if r == nil || r.RawResponse == nil {
		return 0
	}
	v := r.Header().Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now()); d > 0 {
			return d
		}
	}
	return 0
}
