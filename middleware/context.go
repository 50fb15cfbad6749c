package middleware

import (
	"bytes"
	"context"
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
