package middleware

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/wechatpay-chain/wechatpay/apiv2"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// APIv2 requests are marked by a request-scoped switch in the context, set
// by the client, never by a header a caller could forge.
type apiv2Key struct{}

// APIv2Call is the switch WithAPIv2 puts in a request context: how the
// APIv2 signer treats the request, and where the APIv2 verifier leaves
// the fields of the answer it verified.
type APIv2Call struct {
	// Nonceless leaves out the nonce_str the signer otherwise adds (with a
	// fresh value on every attempt) when the request has none.
	Nonceless bool
	// Prepared, when set, holds the fields the client encoded into
	// PreparedBody. When an attempt's body is exactly PreparedBody (no
	// middleware changed it) the signer takes a copy of Prepared instead
	// of parsing the body again; otherwise it parses what it is given.
	Prepared     map[string]string
	PreparedBody []byte

	answer atomic.Pointer[map[string]string]
}

// Answer returns the fields of the last answer the APIv2 verifier
// verified for this call, or nil when none was (an answer that is a file,
// a stack without the verifier).
func (c *APIv2Call) Answer() map[string]string {
	if p := c.answer.Load(); p != nil {
		return *p
	}
	return nil
}

// WithAPIv2 returns a context marking the request as an APIv2 call, for
// the switches built by [ByAPIVersion]. call must not be nil.
func WithAPIv2(ctx context.Context, call *APIv2Call) context.Context {
	return context.WithValue(ctx, apiv2Key{}, call)
}

// apiv2Call returns the switch set by WithAPIv2, or nil.
func apiv2Call(ctx context.Context) *APIv2Call {
	c, _ := ctx.Value(apiv2Key{}).(*APIv2Call)
	return c
}

// ByAPIVersion returns a middleware that sends APIv2 requests (those whose
// context carries [WithAPIv2]) through v2 and every other request through
// v3, so one named stack entry ("signer", "verifier") serves both API
// versions and retries, logging and user middleware apply to both. A nil
// v3 or v2 stands for a client without those credentials: its requests
// fail with a clear error before reaching the network.
func ByAPIVersion(v3, v2 Middleware) Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		sw := &versionSwitch{
			v3: missingCredentials{"APIv3", "MchID, Serial, PrivateKey and Certs (or a Verifier)"},
			v2: missingCredentials{"APIv2", "APIv2Key"},
		}
		if v3 != nil {
			sw.v3 = v3(next)
		}
		if v2 != nil {
			sw.v2 = v2(next)
		}
		return sw
	}
}

type versionSwitch struct{ v3, v2 http.RoundTripper }

func (s *versionSwitch) RoundTrip(req *http.Request) (*http.Response, error) {
	if apiv2Call(req.Context()) != nil {
		return s.v2.RoundTrip(req)
	}
	return s.v3.RoundTrip(req)
}

// missingCredentials refuses every request of an API version the client
// has no credentials for.
type missingCredentials struct{ api, fields string }

func (m missingCredentials) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return nil, fmt.Errorf("wechatpay: %s %s: the client has no %s credentials (Config.%s)", req.Method, safePath(req), m.api, m.fields)
}

// NewAPIv2Signer returns the middleware that signs APIv2 requests with the
// APIv2 secret. On every attempt it takes the request's fields (the XML
// body, or the query of a body-less request such as a GET), adds a fresh
// 32-character nonce_str unless the fields have one or the call is
// Nonceless, computes the sign per apiv2.Sign with the type the sign_type
// field names (MD5 when absent) and sends the fields with their sign on a
// clone of the request (the XML body re-encoded, or the query). The
// caller's request is never modified and its body is closed exactly once.
func NewAPIv2Signer(secret string) Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return &apiv2Signer{secret: secret, next: next}
	}
}

type apiv2Signer struct {
	secret string
	next   http.RoundTripper
}

func (t *apiv2Signer) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readRequestBody(req)
	if req.Body != nil {
		req.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("wechatpay: signing %s %s: reading request body: %w", req.Method, safePath(req), err)
	}
	if t.secret == "" {
		return nil, fmt.Errorf("wechatpay: signing %s %s: no APIv2 secret configured", req.Method, safePath(req))
	}
	out := req.Clone(req.Context())
	inQuery := len(body) == 0
	var fields map[string]string
	call := apiv2Call(req.Context())
	switch {
	case inQuery:
		fields, err = queryFields(req.URL.RawQuery)
	case call != nil && call.Prepared != nil && bytes.Equal(body, call.PreparedBody):
		fields = make(map[string]string, len(call.Prepared)+2)
		maps.Copy(fields, call.Prepared)
	default:
		fields, err = apiv2.Decode(body)
	}
	if err != nil {
		return nil, fmt.Errorf("wechatpay: signing %s %s: reading the APIv2 fields: %w", req.Method, safePath(req), err)
	}
	if fields[apiv2.FieldNonce] == "" && (call == nil || !call.Nonceless) {
		if fields[apiv2.FieldNonce], err = signer.Nonce(); err != nil {
			return nil, fmt.Errorf("wechatpay: signing %s %s: %w", req.Method, safePath(req), err)
		}
	}
	signType, err := apiv2.SignTypeOf(fields)
	if err == nil {
		fields[apiv2.FieldSign], err = apiv2.Sign(fields, t.secret, signType)
	}
	if err != nil {
		return nil, fmt.Errorf("wechatpay: signing %s %s: %w", req.Method, safePath(req), err)
	}
	if inQuery {
		q := make(url.Values, len(fields))
		for k, v := range fields {
			q.Set(k, v)
		}
		u := *out.URL
		u.RawQuery = q.Encode()
		out.URL = &u
		return t.next.RoundTrip(out)
	}
	signed, err := apiv2.Encode(fields)
	if err != nil {
		return nil, fmt.Errorf("wechatpay: signing %s %s: %w", req.Method, safePath(req), err)
	}
	setBody(out, signed)
	return t.next.RoundTrip(out)
}

// queryFields reads a query into fields; a repeated name is an error (the
// sign covers one value per name).
func queryFields(raw string) (map[string]string, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, err
	}
	fields := make(map[string]string, len(q)+2)
	for k, vs := range q {
		if len(vs) != 1 {
			return nil, fmt.Errorf("query parameter %q appears %d times", k, len(vs))
		}
		fields[k] = vs[0]
	}
	return fields, nil
}

// APIv2VerifierConfig configures NewAPIv2Verifier.
type APIv2VerifierConfig struct {
	// Secret is the APIv2 secret that signs answers. Required.
	Secret string
	// MaxBytes bounds the answer read into memory; 0 means
	// DefaultMaxBodyBytes.
	MaxBytes int64
}

// NewAPIv2Verifier returns the middleware that verifies APIv2 answers.
//
// Only 2xx answers are checked. The endpoint is taken from the escaped
// path as it went on the wire. The bill downloads (pay/downloadbill,
// pay/downloadfundflow) pass through streamed when they answer a file
// rather than XML. Every other answer is read (at most MaxBytes; more is an
// error wrapping ErrBodyTooLarge) and parsed with apiv2.Decode, which
// refuses DTDs and entities; a document it refuses fails verification.
// Then the sign is checked with apiv2.Verify (type by length) whenever
// the answer carries one, and required when return_code is SUCCESS,
// except for the endpoints apiv2.IsUnsignedAnswer names (WeChat Pay does
// not sign those, nor a return_code FAIL answer). Failures are
// *signer.VerificationError values matching signer.ErrVerification, with
// the answer's status, header and a body snapshot. On success the fields
// are left in the call's [APIv2Call.Answer] and the answer gets a fresh
// body reader over the bytes read.
func NewAPIv2Verifier(cfg APIv2VerifierConfig) Middleware {
	max := cfg.MaxBytes
	if max <= 0 {
		max = DefaultMaxBodyBytes
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &apiv2Verifier{secret: cfg.Secret, max: max, next: next}
	}
}

type apiv2Verifier struct {
	secret string
	max    int64
	next   http.RoundTripper
}

func (t *apiv2Verifier) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 || resp.Body == nil {
		return resp, err
	}
	path := ""
	if req.URL != nil {
		path = strings.TrimPrefix(req.URL.EscapedPath(), "/")
	}
	if apiv2.IsFileAnswer(path) {
		br := bufio.NewReader(resp.Body)
		head, _ := br.Peek(64)
		resp.Body = readCloser{br, resp.Body}
		if !bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("<")) {
			return resp, nil // a bill file: streamed, unsigned by design
		}
	}
	body, err := ReadBody(resp.Body, resp.ContentLength, t.max)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("wechatpay: reading the answer to verify it: %w", err)
	}
	fields, err := apiv2.Decode(body)
	if err != nil {
		return nil, failure(&signer.VerificationError{Rule: signer.RuleMalformed, Detail: "the answer is not a safe APIv2 XML document", Err: err}, resp, body)
	}
	_, signed := fields[apiv2.FieldSign]
	if !apiv2.IsUnsignedAnswer(path) && (signed || fields["return_code"] == "SUCCESS") {
		if err := apiv2.Verify(fields, t.secret); err != nil {
			return nil, failure(err, resp, body)
		}
	}
	if call := apiv2Call(req.Context()); call != nil {
		call.answer.Store(&fields)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if o := observer(req.Context()); o != nil && o.Verified != nil {
		o.Verified(resp, body)
	}
	return resp, nil
}

// readCloser reads from r and closes c.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (r readCloser) Close() error { return r.c.Close() }
