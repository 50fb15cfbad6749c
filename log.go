package wechatpay

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// attemptsKey keys the per-call attempt counter in a request context.
type attemptsKey struct{}

// withAttempts gives a call its own attempt counter.
func withAttempts(ctx context.Context) context.Context {
	return context.WithValue(ctx, attemptsKey{}, new(atomic.Int32))
}

// logTransport writes one debug record per attempt. It logs the method,
// the request target, the status, the duration, the request id and the
// attempt number, and never a header value of the request (the
// Authorization header is a secret) nor a body.
type logTransport struct {
	next   http.RoundTripper
	logger *slog.Logger
}

func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if !t.logger.Enabled(ctx, slog.LevelDebug) {
		return t.next.RoundTrip(req)
	}
	attempt := int32(1)
	if n, ok := ctx.Value(attemptsKey{}).(*atomic.Int32); ok {
		attempt = n.Add(1)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("target", req.URL.RequestURI()),
		slog.Int("attempt", int(attempt)),
		slog.Duration("duration", time.Since(start)),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
		t.logger.LogAttrs(ctx, slog.LevelDebug, "wechatpay request failed", attrs...)
		return nil, err
	}
	attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.String("request_id", resp.Header.Get("Request-ID")))
	t.logger.LogAttrs(ctx, slog.LevelDebug, "wechatpay request", attrs...)
	return resp, nil
}

// CloseIdleConnections passes the call on to the stack, and so to the base
// transport.
func (t *logTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
