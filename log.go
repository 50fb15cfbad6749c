package wechatpay

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/wechatpay-chain/wechatpay/middleware"
)

// callKey keys the resty request of a call in its context, so that the
// "log" middleware can read the attempt number resty keeps.
type callKey struct{}

// withCall puts r in ctx for the middlewares of this call.
func withCall(ctx context.Context, r *resty.Request) context.Context {
	return context.WithValue(ctx, callKey{}, r)
}

// attempt returns resty's attempt number for the request carrying ctx
// (1 for the first), or 0 outside a client call.
func attempt(ctx context.Context) int {
	if r, ok := ctx.Value(callKey{}).(*resty.Request); ok {
		return r.Attempt
	}
	return 0
}

// logMiddleware is the "log" stack entry: one debug record per attempt
// with the method, the request target, the status, the duration, the
// request id and the attempt number. It never logs a request header value
// (the Authorization header is a secret) nor a body. A nil logger makes it
// a pass-through.
func logMiddleware(logger *slog.Logger) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		if logger == nil {
			return next
		}
		return &logTransport{next: next, logger: logger}
	}
}

// logTransport is the RoundTripper of logMiddleware.
type logTransport struct {
	next   http.RoundTripper
	logger *slog.Logger
}

func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if !t.logger.Enabled(ctx, slog.LevelDebug) {
		return t.next.RoundTrip(req)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("target", req.URL.RequestURI()),
		slog.Int("attempt", attempt(ctx)),
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
