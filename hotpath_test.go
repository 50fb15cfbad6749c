package wechatpay_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// These tests pin down what the allocation-lean send path must keep
// doing: without retries the body goes to resty as a reader (no replay
// copies), so a redirect must still replay it; header values shared
// between calls must never leak one call's change into the next.

// TestPostRedirectReplaysTheBody follows a 307 of a POST, with and without
// a retry policy, and checks both hops carried the same verified body.
func TestPostRedirectReplaysTheBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		tweak func(*wechatpay.Config)
	}{{"no retries", nil}, {"retries", fastRetry}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.Handle("POST", "v3/old", func(*wechatpaytest.Request) wechatpaytest.Reply {
				return wechatpaytest.Reply{Status: http.StatusTemporaryRedirect, Header: http.Header{"Location": {srv.URL + "v3/new"}}}
			})
			srv.Handle("POST", "v3/new", func(r *wechatpaytest.Request) wechatpaytest.Reply {
				return wechatpaytest.Raw(200, "application/json", r.Body)
			})
			client := newClient(t, srv, tc.tweak)
			resp, err := client.Chain("v3/old").Post(context.Background(), wechatpay.Options{"json": wechatpay.M{"a": "b<&>"}})
			if err != nil {
				t.Fatal(err)
			}
			const want = `{"a":"b<&>"}`
			if got := string(resp.Body()); got != want {
				t.Errorf("echoed body %q, want %q", got, want)
			}
			reqs := srv.Requests()
			if len(reqs) != 2 {
				t.Fatalf("server saw %d requests, want 2 hops", len(reqs))
			}
			for i, r := range reqs {
				if !r.Authorized || string(r.Body) != want {
					t.Errorf("hop %d: authorized %v (%s), body %q; want a verified %q", i+1, r.Authorized, r.AuthFailure, r.Body, want)
				}
			}
		})
	}
}

// TestOptedInRetrySendsTheBodyAgain retries a POST that opted in after a
// 500 and checks the second attempt carried the whole body.
func TestOptedInRetrySendsTheBodyAgain(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, fastRetry)
	srv.Fault("POST", seedTemplate, wechatpaytest.Fault{Status: 500, Times: 1})
	opts := seedOptions()
	opts["retry"] = true
	if _, err := client.Chain(seedTemplate).Post(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || len(reqs[0].Body) == 0 || string(reqs[0].Body) != string(reqs[1].Body) || !reqs[1].Authorized {
		t.Errorf("attempts %+v, want two verified attempts with the same body", reqs)
	}
}

// TestSharedHeaderValuesStayPerCall lets a (misbehaving) middleware
// overwrite header values in place on one call and checks that the next
// calls still send the client's own Content-Type and Wechatpay-Serial.
func TestSharedHeaderValuesStayPerCall(t *testing.T) {
	t.Parallel()
	srv := newServer(t) // public key mode: every call carries Wechatpay-Serial
	client := newClient(t, srv, nil)
	first := true
	err := client.Stack().Unshift("vandal", func(next http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(r *http.Request) (*http.Response, error) {
			if first {
				first = false
				for _, name := range []string{"Content-Type", "Wechatpay-Serial"} {
					if vs := r.Header[name]; len(vs) > 0 {
						vs[0] = "vandalised"
					}
				}
			}
			return next.RoundTrip(r)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	ch := client.Chain(seedTemplate)
	for range 3 {
		ch.Post(context.Background(), seedOptions()) // the first one is meant to fail
	}
	var got [][2]string
	for _, r := range srv.Requests() {
		got = append(got, [2]string{r.Header.Get("Content-Type"), r.Header.Get("Wechatpay-Serial")})
	}
	want := [][2]string{
		{"vandalised", "vandalised"},
		{"application/json", srv.PlatformSerial()},
		{"application/json", srv.PlatformSerial()},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers per call (-want +got):\n%s", diff)
	}
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
