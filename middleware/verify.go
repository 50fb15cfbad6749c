package middleware

import (
	"bytes"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/wechatpay-chain/wechatpay/signer"
)

// VerifierConfig configures NewVerifier.
type VerifierConfig struct {
	// Verifier checks signatures; normally a *signer.KeyStore. Required.
	Verifier signer.Verifier
	// Now returns the current time for the clock-skew check; nil means
	// time.Now.
	Now func() time.Time
	// BasePath is the path of the client's base URL, such as "/" or "/hk/".
	// The unsigned download paths and the statement paths are recognised
	// relative to it, in its escaped form (url.URL.EscapedPath), and
	// compared with the escaped path of the request as it goes on the wire,
	// so a value holding "/" (sent as %2F) can never switch verification
	// off. Empty means "/".
	BasePath string
	// MaxBodyBytes is the largest body read into memory for verification;
	// DefaultMaxBodyBytes when zero. A larger answer is an error matching
	// ErrBodyTooLarge.
	MaxBodyBytes int64
}

// MaxErrorBody is the largest body snapshot a *signer.VerificationError
// carries; longer bodies are truncated.
const MaxErrorBody = 64 << 10

// NewVerifier returns the middleware that verifies signed answers.
//
// Only 2xx answers are verified; others pass through untouched, for the
// client to turn into API errors. Answers WeChat Pay does not sign pass
// through with their body streamed untouched: the download paths (relative
// to BasePath) v3/billdownload/file, v3/merchant-service/images/{media}
// (but not v3/merchant-service/images/upload), v3/new-tax-control-fapiao/download,
// v3/transferdownload/elecvoucherfile and v3/transferdownload/signfile,
// and any request whose context carries WithoutVerification.
//
// Otherwise the whole body is read and checked with signer.VerifyHeaders
// (headers present, clock within ±300 s, signature type, key by
// Wechatpay-Serial, signature). Overseas statements (v3/global/statements
// relative to BasePath, or any path ending in /hk/v3/statements) are signed
// over {"sha1":"<Wechatpay-Statement-Sha1>"} and their body's SHA-1 must
// equal that header. On success the answer gets a fresh body reader over
// the verified bytes, ContentLength unchanged. On failure the body is
// closed and RoundTrip returns a nil response and a
// *signer.VerificationError (matching signer.ErrVerification) carrying the
// status code, the header and a body snapshot of at most MaxErrorBody bytes.
func NewVerifier(cfg VerifierConfig) Middleware {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	base := normaliseBasePath(cfg.BasePath)
	limit := cfg.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &verifyingTransport{verifier: cfg.Verifier, now: now, base: base, limit: limit, next: next}
	}
}

// verifyingTransport is the RoundTripper NewVerifier returns.
type verifyingTransport struct {
	verifier signer.Verifier
	now      func() time.Time
	base     string // escaped; starts and ends with "/"
	limit    int64
	next     http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *verifyingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 || verificationSkipped(req.Context()) {
		return resp, nil
	}
	rel, underBase := t.relativePath(req)
	if underBase && isUnsignedDownload(rel) {
		return resp, nil
	}

	var body []byte
	if resp.Body != nil {
		body, err = ReadBody(resp.Body, resp.ContentLength, t.limit)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("wechatpay: reading the answer to verify it: %w", err)
		}
	}

	if t.isStatement(req, rel, underBase) {
		err = t.verifyStatement(resp.Header, body)
	} else {
		err = signer.VerifyHeaders(t.verifier, resp.Header, body, t.now())
	}
	if err != nil {
		return nil, failure(err, resp, body)
	}
	resp.Body = newByteBody(body)
	if o := observer(req.Context()); o != nil && o.Verified != nil {
		o.Verified(resp, body)
	}
	return resp, nil
}

// verifyStatement checks an overseas statement: the signature covers
// {"sha1":"<digest>"} and the body must hash to that digest.
func (t *verifyingTransport) verifyStatement(h http.Header, body []byte) error {
	digest := h.Get(signer.HeaderStatementSHA1)
	if digest == "" {
		return &signer.VerificationError{Rule: signer.RuleMissingHeader, Detail: signer.HeaderStatementSHA1}
	}
	if err := signer.VerifyHeaders(t.verifier, h, signer.StatementMessageBody(digest), t.now()); err != nil {
		return err
	}
	want, err := hex.DecodeString(digest)
	if err != nil || len(want) != sha1.Size {
		return &signer.VerificationError{Rule: signer.RuleMalformed, Detail: signer.HeaderStatementSHA1 + " is not a hex SHA-1 digest"}
	}
	got := sha1.Sum(body)
	if subtle.ConstantTimeCompare(got[:], want) != 1 {
		return &signer.VerificationError{Rule: signer.RuleStatementSHA1, Detail: "body SHA-1 " + hex.EncodeToString(got[:]) + " does not match " + signer.HeaderStatementSHA1}
	}
	return nil
}

// failure turns a verification error into the *signer.VerificationError
// the middleware returns, with the answer's status, header and a body
// snapshot.
func failure(err error, resp *http.Response, body []byte) error {
	ve, ok := errors.AsType[*signer.VerificationError](err)
	if !ok {
		ve = &signer.VerificationError{Rule: signer.RuleBadSignature, Err: err}
	} else {
		copied := *ve
		ve = &copied
	}
	ve.StatusCode = resp.StatusCode
	ve.Header = resp.Header
	// A copy, never a sub-slice: the error must not pin the whole answer.
	ve.Body = bytes.Clone(body[:min(len(body), MaxErrorBody)])
	return ve
}

// relativePath returns the escaped request path (as sent on the wire)
// after the base path, and whether
// the request is under the base path at all.
func (t *verifyingTransport) relativePath(req *http.Request) (string, bool) {
	if req.URL == nil {
		return "", false
	}
	return strings.CutPrefix(req.URL.EscapedPath(), t.base)
}

// isStatement reports whether the request fetches an overseas statement.
func (t *verifyingTransport) isStatement(req *http.Request, rel string, underBase bool) bool {
	if underBase && rel == "v3/global/statements" {
		return true
	}
	return req.URL != nil && strings.HasSuffix(req.URL.EscapedPath(), "/hk/v3/statements")
}

// isUnsignedDownload reports whether rel (relative to the base path) is a
// download WeChat Pay answers without a signature.
func isUnsignedDownload(rel string) bool {
	switch rel {
	case "v3/billdownload/file",
		"v3/new-tax-control-fapiao/download",
		"v3/transferdownload/elecvoucherfile",
		"v3/transferdownload/signfile":
		return true
	}
	media, ok := strings.CutPrefix(rel, "v3/merchant-service/images/")
	return ok && media != "" && media != "upload"
}

// normaliseBasePath makes p start and end with "/".
func normaliseBasePath(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}
