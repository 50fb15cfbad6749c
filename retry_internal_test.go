package wechatpay

import (
	"net/http"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"
)

func TestRetryAfterHeader(t *testing.T) {
	t.Parallel()
	future := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		header string
		min    time.Duration
		max    time.Duration
	}{
		{"", 0, 0},
		{"3", 3 * time.Second, 3 * time.Second},
		{"0", 0, 0},
		{"-1", 0, 0},
		{"soon", 0, 0},
		{future, 80 * time.Second, 90 * time.Second},
		{"Mon, 02 Jan 2006 15:04:05 GMT", 0, 0}, // in the past
	}
	for _, tt := range tests {
		resp := &resty.Response{RawResponse: &http.Response{Header: http.Header{}}}
		if tt.header != "" {
			resp.RawResponse.Header.Set("Retry-After", tt.header)
		}
		got, err := retryAfter(time.Now, nil)(nil, resp)
		if err != nil || got < tt.min || got > tt.max {
			t.Errorf("Retry-After %q: wait %v, %v; want between %v and %v", tt.header, got, err, tt.min, tt.max)
		}
	}
	if got, err := retryAfter(time.Now, nil)(nil, nil); got != 0 || err != nil {
		t.Errorf("nil response: %v, %v", got, err)
	}
}

func TestRetryPolicyDefaults(t *testing.T) {
	t.Parallel()
	got := RetryPolicy{}.withDefaults()
	want := RetryPolicy{MaxRetries: 3, MinWait: 100 * time.Millisecond, MaxWait: 5 * time.Second}
	if got != want {
		t.Errorf("defaults = %+v, want %+v", got, want)
	}
	if got := (RetryPolicy{MinWait: time.Second, MaxWait: time.Millisecond}).withDefaults(); got.MaxWait != time.Second {
		t.Errorf("MaxWait below MinWait was not raised: %+v", got)
	}
}
