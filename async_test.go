package wechatpay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestThousandFutures(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	ctx := context.Background()
	ch := client.Chain(seedTemplate)
	futures := make([]*wechatpay.Future[*wechatpay.Response], 1000)
	for i := range futures {
		opts := seedOptions()
		opts["card_id"] = fmt.Sprint(i)
		futures[i] = ch.PostAsync(ctx, opts)
	}
	for i, f := range futures {
		resp, err := f.Wait(ctx)
		if err != nil {
			t.Fatalf("future %d: %v", i, err)
		}
		if resp.StatusCode() != 204 {
			t.Fatalf("future %d: status %d", i, resp.StatusCode())
		}
		if again, err := f.Wait(ctx); again != resp || err != nil {
			t.Fatalf("future %d: second Wait gave a different result", i)
		}
	}
	if n := len(srv.Requests()); n != 1000 {
		t.Errorf("server saw %d requests, want 1000", n)
	}
}

// TestCancelledRequest cancels a call while the server holds it (the
// handler has the request and waits), and checks the call ends with
// context.Canceled and the server sees the client go away.
func TestCancelledRequest(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	arrived, gone := make(chan struct{}), make(chan struct{})
	srv.Handle("POST", "v3/held", func(r *wechatpaytest.Request) wechatpaytest.Reply {
		close(arrived)
		<-r.Context().Done()
		close(gone)
		return wechatpaytest.NoContent()
	})
	ctx, cancel := context.WithCancel(context.Background())
	fut := client.Chain("v3/held").PostAsync(ctx, wechatpay.Options{"json": wechatpay.M{"a": 1}})
	<-arrived
	cancel()
	_, err := fut.Wait(context.Background())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	<-gone // the server saw the cancellation in flight
}

func TestWaitContextOnlyBoundsTheWait(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	release := make(chan struct{})
	srv.Handle("GET", "v3/slow", func(r *wechatpaytest.Request) wechatpaytest.Reply {
		<-release
		return wechatpaytest.Reply{Status: 200, JSON: map[string]any{"ok": true}}
	})
	fut := client.Chain("v3/slow").GetAsync(context.Background(), nil)
	waitCtx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := fut.Wait(waitCtx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait with a cancelled ctx = %v, want context.Canceled", err)
	}
	close(release)
	resp, err := fut.Wait(context.Background())
	if err != nil || !resp.Get("ok").Bool() {
		t.Fatalf("the request should have gone on: %v", err)
	}
}

func TestPanickingMiddlewareBecomesError(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	boom := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(*http.Request) (*http.Response, error) { panic("boom") })
	}
	if err := client.Stack().Unshift("boom", boom); err != nil {
		t.Fatal(err)
	}
	_, err := client.Chain(seedTemplate).Post(context.Background(), seedOptions())
	if !errors.Is(err, wechatpay.ErrPanic) {
		t.Errorf("sync: err = %v, want ErrPanic", err)
	}
	_, err = client.Chain(seedTemplate).PostAsync(context.Background(), seedOptions()).Wait(context.Background())
	if !errors.Is(err, wechatpay.ErrPanic) {
		t.Errorf("async: err = %v, want ErrPanic", err)
	}
}

func TestUserMiddlewareSeesSignedRequest(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	var seen atomic.Value
	wire := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			seen.Store(r.Header.Get("Authorization") != "")
			return next.RoundTrip(r)
		})
	}
	if err := client.Stack().After("verifier", "wire", wire); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Chain(seedTemplate).Post(context.Background(), seedOptions()); err != nil {
		t.Fatal(err)
	}
	if signed, _ := seen.Load().(bool); !signed {
		t.Error("a wire-level middleware did not see the Authorization header")
	}
}

func TestVerificationFailures(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	faults := map[string]wechatpaytest.Fault{
		"tampered body":      {TamperBody: true},
		"tampered signature": {TamperSignature: true},
		"missing nonce":      {DropSignatureHeader: "Wechatpay-Nonce"},
		"skewed clock":       {ClockSkew: 10 * time.Minute},
	}
	for name, f := range faults {
		srv.ClearFaults()
		srv.Fault("POST", seedTemplate, f)
		_, err := client.Chain(seedTemplate).Post(context.Background(), seedOptions())
		if !errors.Is(err, wechatpay.ErrVerification) {
			t.Errorf("%s: err = %v, want ErrVerification", name, err)
		}
	}
}

func TestThen(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	ctx := context.Background()
	status := wechatpay.Then(client.Chain(seedTemplate).PostAsync(ctx, seedOptions()),
		func(r *wechatpay.Response) (int, error) { return r.StatusCode(), nil })
	if got, err := status.Wait(ctx); err != nil || got != 204 {
		t.Errorf("Then = %d, %v; want 204", got, err)
	}
	failed := wechatpay.Then(client.Chain(seedTemplate).PostAsync(ctx, wechatpay.Options{}),
		func(*wechatpay.Response) (int, error) { panic("must not run") })
	if _, err := failed.Wait(ctx); !errors.Is(err, wechatpay.ErrTemplate) {
		t.Errorf("Then on a failed future = %v, want the ErrTemplate error", err)
	}
}

func TestNilContext(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, nil)
	//lint:ignore SA1012 the nil context is the point of the test
	if _, err := client.Chain(seedTemplate).Post(nil, seedOptions()); err == nil { //nolint:staticcheck
		t.Error("nil context accepted")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

var _ middleware.Middleware = func(next http.RoundTripper) http.RoundTripper { return next }
