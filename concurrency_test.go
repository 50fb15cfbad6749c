package wechatpay_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

func TestMaxConcurrent(t *testing.T) {
	const limit, calls = 2, 10
	srv := newServer(t)
	client := newClient(t, srv, func(c *wechatpay.Config) { c.MaxConcurrent = limit })
	var inside, most atomic.Int32
	release := make(chan struct{})
	arrived := make(chan struct{}, calls)
	srv.Handle("GET", "v3/held/{i}", func(*wechatpaytest.Request) wechatpaytest.Reply {
		n := inside.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		arrived <- struct{}{}
		<-release
		inside.Add(-1)
		return wechatpaytest.NoContent()
	})
	ctx := context.Background()
	futures := make([]*wechatpay.Future[*wechatpay.Response], calls)
	for i := range futures {
		futures[i] = client.Chain("v3/held/{i}").GetAsync(ctx, wechatpay.Options{"i": i})
	}
	// Wait until limit requests are inside, then let one go at a time:
	// each release lets exactly one queued call in.
	for range limit {
		<-arrived
	}
	for i := range calls {
		if i+limit < calls {
			release <- struct{}{}
			<-arrived
			continue
		}
		release <- struct{}{}
	}
	for i, f := range futures {
		if _, err := f.Wait(ctx); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if got := most.Load(); got != limit {
		t.Errorf("at most %d requests were inside the server at once, want exactly %d", got, limit)
	}
}

func TestMaxConcurrentWaitEndsWithContext(t *testing.T) {
	srv := newServer(t)
	client := newClient(t, srv, func(c *wechatpay.Config) { c.MaxConcurrent = 1 })
	release, arrived := make(chan struct{}), make(chan struct{}, 1)
	srv.Handle("GET", "v3/held", func(*wechatpaytest.Request) wechatpaytest.Reply {
		arrived <- struct{}{}
		<-release
		return wechatpaytest.NoContent()
	})
	holder := client.Chain("v3/held").GetAsync(context.Background(), nil)
	<-arrived

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := client.Chain("v3/held").Get(ctx, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("queued call with a cancelled context: err = %v, want context.Canceled", err)
	}
	close(release)
	if _, err := holder.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("server saw %d requests, want 1: the queued call must not be sent", n)
	}
}
