package middleware

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/wechatpay-chain/wechatpay/signer"
)

// NewSigner returns the middleware that signs every request with s.
//
// For each RoundTrip (so for every retry and redirect) it signs
//
//	METHOD\nREQUEST-URI\nTIMESTAMP\nNONCE\nBODY\n
//
// with a fresh timestamp and nonce, where REQUEST-URI is
// req.URL.RequestURI() (the target as sent on the wire) and BODY the exact
// bytes sent, or the bytes given with WithSignedBody. It sets the
// Authorization header on a clone of the request; the caller's request is
// never modified. A lower-case method is upper-cased on the clone, so the
// signed and the sent method agree.
//
// Body handling: the body is read once (through req.GetBody when set, which
// leaves req.Body unread) and the clone carries those exact bytes, with
// GetBody and ContentLength to match; req.Body is then closed, exactly
// once, on every path. With WithSignedBody the request body is not read:
// it is passed on to next, which closes it per the RoundTripper contract
// (or closed here if signing fails first).
func NewSigner(s *signer.Signer) Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return &signingTransport{signer: s, next: next}
	}
}

// signingTransport is the RoundTripper NewSigner returns.
type signingTransport struct {
	signer *signer.Signer
	next   http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *signingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// closeBody closes the caller's body at most once; every return path
	// that does not hand req.Body to next goes through it.
	bodyOwned := req.Body != nil
	closeBody := func() {
		if bodyOwned {
			bodyOwned = false
			req.Body.Close()
		}
	}
	defer closeBody()

	if t.signer == nil {
		return nil, fmt.Errorf("wechatpay: signing %s %s: no signer configured", req.Method, safePath(req))
	}
	if req.URL == nil {
		return nil, fmt.Errorf("wechatpay: signing %s: request has no URL", req.Method)
	}
	out := cloneRequest(req)
	method := strings.ToUpper(out.Method)
	if method == "" {
		method = http.MethodGet
	}
	out.Method = method

	var signed []byte
	if body, ok := signedBody(req.Context()); ok {
		signed = body
	} else {
		body, err := readRequestBody(req)
		if err != nil {
			return nil, fmt.Errorf("wechatpay: signing %s %s: reading request body: %w", method, safePath(req), err)
		}
		signed = body
		closeBody()
		setBody(out, body)
	}

	auth, message, err := t.signer.AuthorizationWithMessage(method, out.URL.RequestURI(), signed)
	if err != nil {
		return nil, fmt.Errorf("wechatpay: signing %s %s: %w", method, safePath(req), err)
	}
	if o := observer(req.Context()); o != nil && o.Signed != nil {
		o.Signed(message)
	}
	out.Header.Set("Authorization", auth)
	bodyOwned = false // from here on, next owns the body it was given
	return t.next.RoundTrip(out)
}

// readRequestBody returns the exact request body: through GetBody when
// set (leaving req.Body unread), else by reading req.Body. The caller
// closes req.Body.
func readRequestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("GetBody: %w", err)
		}
		if rc == nil {
			return nil, nil
		}
		b, err := io.ReadAll(rc)
		if cerr := rc.Close(); err == nil && cerr != nil {
			err = cerr
		}
		return b, err
	}
	return io.ReadAll(req.Body)
}

// setBody makes r carry exactly b, replayable through GetBody.
func setBody(r *http.Request, b []byte) {
	r.ContentLength = int64(len(b))
	if len(b) == 0 {
		if r.Body != nil {
			r.Body = http.NoBody
			r.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
		}
		return
	}
	// io.NopCloser(bytes.NewReader(b)), not a one-allocation body of our
	// own: net/http recognises this pair as in memory and writes the
	// headers and a small body in one go; for any other reader it flushes
	// the headers first, a write (and a wake-up of the server) more per
	// request.
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// safePath returns the request path for error messages (no query: it may
// hold personal data).
func safePath(req *http.Request) string {
	if req.URL == nil {
		return ""
	}
	return req.URL.Path
}

// cloneRequest returns a copy of req that the signer may change without
// touching req: a deep copy of the Header (the signer adds Authorization,
// and whatever comes next may edit it); everything else is shared, which is
// safe because the signer replaces Method, Body, GetBody and ContentLength
// rather than modifying them, and never changes the URL. This is the
// golang.org/x/oauth2 Transport's clone; Request.Clone would also copy the
// URL, trailers and forms, allocations nothing here needs.
func cloneRequest(req *http.Request) *http.Request {
	out := new(http.Request)
	*out = *req
	out.Header = req.Header.Clone()
	if out.Header == nil {
		out.Header = make(http.Header)
	}
	return out
}
