package wechatpay_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// TestRedirectToAnotherHostIsRefused makes the WeChat Pay stand-in redirect
// to a second server and checks that the signed request never reaches it.
func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	var reached atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
	}))
	defer other.Close()
	srv := newServer(t)
	srv.Handle("GET", "v3/moved", func(*wechatpaytest.Request) wechatpaytest.Reply {
		return wechatpaytest.Reply{Status: http.StatusFound, Header: http.Header{"Location": {other.URL + "/v3/moved"}}}
	})
	client := newClient(t, srv, fastRetry)
	_, err := client.Chain("v3/moved").Get(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "refusing a redirect") {
		t.Errorf("err = %v, want the redirect refused", err)
	}
	// A refused redirect is permanent: a retry policy must not try again.
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("the refused redirect was attempted %d times, want 1", n)
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("the other host received %d signed requests", n)
	}
}

// TestRedirectOnTheSameHostIsSignedAgain follows a same-host redirect and
// checks that the server verified both hops.
func TestRedirectOnTheSameHostIsSignedAgain(t *testing.T) {
	srv := newServer(t)
	srv.Handle("GET", "v3/old", func(*wechatpaytest.Request) wechatpaytest.Reply {
		return wechatpaytest.Reply{Status: http.StatusFound, Header: http.Header{"Location": {srv.URL + "v3/new"}}}
	})
	srv.Handle("GET", "v3/new", func(*wechatpaytest.Request) wechatpaytest.Reply {
		return wechatpaytest.JSON(200, map[string]any{"ok": true})
	})
	client := newClient(t, srv, nil)
	resp, err := client.Chain("v3/old").Get(context.Background(), nil)
	if err != nil || !resp.Get("ok").Bool() {
		t.Fatalf("same-host redirect: %v", err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || !reqs[0].Authorized || !reqs[1].Authorized || reqs[1].RequestURI != "/v3/new" {
		t.Errorf("server records = %+v, want two verified hops ending at /v3/new", reqs)
	}
}

// TestTooManyRedirectsIsNotRetried loops a same-host redirect and checks
// the chain stops after 10 hops, once, even with a retry policy.
func TestTooManyRedirectsIsNotRetried(t *testing.T) {
	srv := newServer(t)
	srv.Handle("GET", "v3/loop", func(*wechatpaytest.Request) wechatpaytest.Reply {
		return wechatpaytest.Reply{Status: http.StatusFound, Header: http.Header{"Location": {srv.URL + "v3/loop"}}}
	})
	client := newClient(t, srv, fastRetry)
	_, err := client.Chain("v3/loop").Get(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Errorf("err = %v, want the redirect chain stopped", err)
	}
	if n := len(srv.Requests()); n != 10 {
		t.Errorf("server saw %d hops, want 10 (one chain, not retried)", n)
	}
}
