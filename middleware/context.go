package middleware

import (
	"bytes"
	"context"
	"net/http"
)

// Request-scoped switches travel in the request context under these
// unexported keys, so no other package can forge or clash with them.
type (
	signedBodyKey          struct{}
	withoutVerificationKey struct{}
)

// WithSignedBody returns a context telling the signer middleware to sign
// body instead of the request body, which is still sent untouched. Media
// uploads use it: their signed body is the "meta" JSON, not the multipart
// bytes. body is copied. A nil body signs the empty string.
func WithSignedBody(ctx context.Context, body []byte) context.Context {
	return context.WithValue(ctx, signedBodyKey{}, bytes.Clone(body))
}

// signedBody returns the bytes set by WithSignedBody, if any.
func signedBody(ctx context.Context) ([]byte, bool) {
	b, ok := ctx.Value(signedBodyKey{}).([]byte)
	return b, ok
}

// WithoutVerification returns a context telling the verifier middleware
// not to verify the answer to this request: its body is streamed
// untouched. Use it for answers WeChat Pay does not sign (downloads the
// verifier does not already recognise), never to silence a failure.
func WithoutVerification(ctx context.Context) context.Context {
	return context.WithValue(ctx, withoutVerificationKey{}, true)
}

// verificationSkipped reports whether WithoutVerification is in ctx.
func verificationSkipped(ctx context.Context) bool {
	skip, _ := ctx.Value(withoutVerificationKey{}).(bool)
	return skip
}

// Observer receives, through request-scoped hooks, what the signer and
// verifier middlewares did to one call. The client sets one per call with
// WithObserver; each field may be nil. Hooks run synchronously inside
// RoundTrip, once per attempt (and per redirect hop); the last call wins.
type Observer struct {
	// Signed receives the exact message the signer signed
	// (METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n). It never receives the
	// signature or the Authorization value. The slice is not reused by the
	// signer and may be kept.
	Signed func(message []byte)
	// Verified receives a 2xx answer and the exact body bytes whose
	// signature the verifier checked, so that the caller can keep those
	// bytes instead of reading (and copying) the body again. The slice is
	// not reused and may be kept.
	Verified func(resp *http.Response, body []byte)
}

type observerKey struct{}

// WithObserver returns a context carrying o for the signer and verifier
// middlewares.
func WithObserver(ctx context.Context, o *Observer) context.Context {
	return context.WithValue(ctx, observerKey{}, o)
}

// observer returns the Observer in ctx, or nil.
func observer(ctx context.Context) *Observer {
	o, _ := ctx.Value(observerKey{}).(*Observer)
	return o
}
