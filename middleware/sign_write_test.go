package middleware_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/wechatpay-chain/wechatpay/middleware"
)

// countingConn counts the writes on a client connection.
type countingConn struct {
	net.Conn
	writes *atomic.Int32
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// TestSignedRequestIsOneWrite checks that a signed POST with a small body
// leaves in one write: net/http flushes the headers on their own (one
// write, one server wake-up more per request) unless it recognises the
// body as in memory, so the signer must hand it such a body.
func TestSignedRequestIsOneWrite(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	defer srv.Close()
	var writes atomic.Int32
	var d net.Dialer
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		return countingConn{c, &writes}, err
	}}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: middleware.NewSigner(merchantSigner(t))(tr)}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/v3/x", bytes.NewReader([]byte(`{"a":1}`)))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n := writes.Load(); n != 1 {
		t.Errorf("the signed POST took %d writes, want 1", n)
	}
}
