package wechatpay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// send executes a prepared request: resty builds the http.Request and runs
// the retry loop, the middleware stack logs and signs it and verifies the
// answer, and non-2xx answers become *APIError. A panic anywhere below (a
// user middleware) is recovered into an error matching ErrPanic.
//
// resty is told not to read answers (SetDoNotParseResponse): it would
// gunzip a Content-Encoding: gzip body after the verifier checked the
// bytes as sent, and read without the MaxResponseBytes bound. The body of
// a verified answer is taken from the verifier (middleware.Observer), so
// it is neither read nor copied twice.
func (c *Client) send(ctx context.Context, req *preparedRequest) (resp *Response, err error) {
	switch {
	case c == nil:
		return nil, errNilClient
	case ctx == nil:
		return nil, errNilContext
	case req == nil:
		return nil, errors.New("wechatpay: nil request")
	}
	defer recoverInto(&err)

	seen := newObservation()
	r := c.rc.R()
	// requestContext (upload.go) marks an upload's meta JSON as the signed
	// body; context (v2.go) marks an APIv2 call.
	callCtx, v2call := req.context(middleware.WithObserver(withCall(req.requestContext(ctx), r), &seen.Observer))
	r.SetContext(callCtx)
	r.Header = c.header(req)
	if c.retries > 0 {
		// resty may send this request again: it gets the bytes (which it
		// replays on every attempt) and the retry rule.
		if req.body != nil {
			r.SetBody(req.body)
		}
		r.AddRetryCondition(retryCondition(ctx, req.method, req.retry, c.retries))
	} else if req.body != nil {
		// One attempt (resty consults no retry condition then): a reader
		// is sent as it is, where resty would copy []byte twice for
		// replays that never come. A redirect replays it through GetBody,
		// which http.NewRequest sets for a *bytes.Reader.
		r.SetBody(bytes.NewReader(req.body))
	}

	rr, err := r.Execute(req.method, req.url)
	var raw *http.Response
	if rr != nil {
		raw = rr.RawResponse
	}
	if raw != nil && raw.Body != nil {
		defer raw.Body.Close()
	}
	if err != nil || raw == nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		if err == nil {
			err = errors.New("no answer")
		}
		return nil, &callError{method: req.method, path: req.path, template: req.tmpl, err: err}
	}

	status := raw.StatusCode
	switch {
	case status < 200:
		// 101 Switching Protocols (or another final 1xx): the body is the
		// raw connection, which no ctx deadline or Timeout bounds; never
		// wait on it.
		return nil, newAPIError(req, status, raw.Header, nil)
	case status > 299:
		body, truncated, err := readCut(raw.Body, raw.ContentLength, c.maxBody)
		if err != nil {
			return nil, &callError{method: req.method, path: req.path, template: req.tmpl, err: fmt.Errorf("reading the HTTP %d answer: %w", status, err)}
		}
		apiErr := newAPIError(req, status, raw.Header, body)
		apiErr.Truncated = truncated
		apiErr.recordSigned(seen.signed)
		return nil, apiErr
	}
	body := seen.verified
	if seen.verifiedResp != raw {
		// Not verified (an unsigned download): read it, bounded.
		if body, err = middleware.ReadBody(raw.Body, raw.ContentLength, c.maxBody); err != nil {
			return nil, &callError{method: req.method, path: req.path, template: req.tmpl, err: fmt.Errorf("reading the answer: %w", err)}
		}
	}
	resp = &Response{status: status, header: raw.Header, body: body}
	if v2call != nil {
		return req.finishV2(v2call, resp)
	}
	return resp, nil
}

// header returns the request headers: the prepared ones plus, in
// public-key mode, Wechatpay-Serial naming the public key, so WeChat Pay
// signs the answer with it (a caller's own Wechatpay-Serial wins).
//
// req.header belongs to this one call (prepare builds it afresh), so it is
// completed in place rather than copied; the value slice is the client's
// own, shared by its calls, and capped so that an append never writes into
// it (resty shares its client-wide header values the same way, and copies
// all of them into every http.Request it builds).
func (c *Client) header(req *preparedRequest) http.Header {
	h := req.header
	if c.pubKeyID == "" || h.Get(signer.HeaderSerial) != "" || strings.HasPrefix(req.path, "v2/") {
		return h
	}
	if h == nil {
		h = make(http.Header)
	}
	h[signer.HeaderSerial] = c.serialHeader[:1:1]
	return h
}

// observation is what the signer and verifier reported about one call:
// the hooks and what they saw, in one allocation.
type observation struct {
	middleware.Observer
	signed       []byte         // the message last signed
	verifiedResp *http.Response // the answer last verified
	verified     []byte         // its verified body
}

func newObservation() *observation {
	o := new(observation)
	o.Signed = func(m []byte) { o.signed = m }
	o.Verified = func(r *http.Response, b []byte) { o.verifiedResp, o.verified = r, b }
	return o
}

// readCut reads at most limit bytes of an error answer and reports whether
// there was more.
func readCut(r io.Reader, declared, limit int64) ([]byte, bool, error) {
	if declared > limit {
		declared = -1
	}
	body, err := middleware.ReadBody(io.LimitReader(r, limit+1), declared, limit+1)
	if err != nil {
		return nil, false, err
	}
	if int64(len(body)) > limit {
		return body[:limit], true, nil
	}
	return body, false, nil
}
