package wechatpay

import (
	"fmt"
	"io"
	"net/http"
	"sync"
)

// slotTransport bounds the attempts on the network at once
// (Config.MaxConcurrent). It takes a slot per attempt, not per call, and
// gives it back when the attempt's answer body is closed or read to its
// end, or when the attempt fails: a call sleeping in retry backoff holds
// no slot. It sits outside the middleware stack, so a slot covers the
// whole attempt (log, signer, verifier, network).
type slotTransport struct {
	slots chan struct{}
	next  http.RoundTripper
}

func (t *slotTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	select {
	case t.slots <- struct{}{}:
	case <-ctx.Done():
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("waiting for a free slot (MaxConcurrent): %w", ctx.Err())
	}
	release := sync.OnceFunc(func() { <-t.slots })
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp == nil || resp.Body == nil {
		release()
		return resp, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// releasingBody gives the slot back at EOF or Close, whichever is first.
type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.release()
	}
	return n, err
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}

// slots returns a semaphore of n slots, or nil for no limit.
func slots(n int) chan struct{} {
	if n <= 0 {
		return nil
	}
	return make(chan struct{}, n)
}
