package wechatpay

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"

	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// verifier returns the Verifier for a call under ctx: an unknown
// certificate serial may download v3/certificates under that context.
func (s *certificateStore) verifier(ctx context.Context) signer.Verifier {
	return storeVerifier{s: s, ctx: ctx}
}

// storeVerifier is a certificateStore bound to one call's context.
var _ signer.DigestVerifier = storeVerifier{}

type storeVerifier struct {
	s   *certificateStore
	ctx context.Context
}

// Verify implements signer.Verifier. A serial the store does not know,
// shaped like a platform certificate serial, makes it download the
// certificates (single-flight, rate limited) and verify again.
func (v storeVerifier) Verify(serial string, message []byte, signature string) error {
	return v.VerifyDigest(serial, sha256.Sum256(message), signature)
}

// VerifyDigest implements signer.DigestVerifier, like Verify.
func (v storeVerifier) VerifyDigest(serial string, digest [32]byte, signature string) error {
	err := v.s.keys.VerifyDigest(serial, digest, signature)
	if err == nil || !v.shouldDownload(serial, signature, err) {
		return err
	}
	rerr := v.s.refresh(v.ctx, false)
	if again := v.s.keys.VerifyDigest(serial, digest, signature); !isUnknownSerial(again) || rerr == nil {
		return again // known now (maybe thanks to a concurrent download)
	}
	return &signer.VerificationError{
		Rule:   signer.RuleUnknownSerial,
		Detail: fmt.Sprintf("no key for serial %q; downloading v3/certificates: %s", serial, plainText(rerr)),
		Err:    rerr,
	}
}

// shouldDownload reports whether err (from the static lookup) is an
// unknown serial worth a download: the client can decrypt certificates,
// the serial looks like a certificate serial (not a public key id), and the
// signature is not a WeChat Pay probe.
func (v storeVerifier) shouldDownload(serial, signature string, err error) bool {
	return isUnknownSerial(err) && v.s.canDownload() && isCertificateSerial(serial) && !isProbeSignature(signature)
}

// isUnknownSerial reports whether err is a verification failure for lack of
// a key.
func isUnknownSerial(err error) bool {
	ve, ok := errors.AsType[*signer.VerificationError](err)
	return ok && ve.Rule == signer.RuleUnknownSerial
}

// isCertificateSerial reports whether s has the shape of a platform
// certificate serial: upper-case hex of even length, at most 40 bytes.
func isCertificateSerial(s string) bool {
	if s == "" || len(s)%2 != 0 || len(s) > 80 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}

// verifierMiddleware is the "verifier" stack entry of a client whose store
// can download certificates: the standard verifier middleware, bound per
// request to the store and the request's context.
func (s *certificateStore) verifierMiddleware(cfg middleware.VerifierConfig) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
			bound := cfg
			bound.Verifier = s.verifier(req.Context())
			return middleware.NewVerifier(bound)(next).RoundTrip(req)
		})
	}
}

// roundTripperFunc adapts a function to http.RoundTripper.
type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
