package wechatpay

import (
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

	var (
		signed       []byte
		verifiedResp *http.Response
		verified     []byte
	)
	obs := &middleware.Observer{
		Signed:   func(m []byte) { signed = m },
		Verified: func(r *http.Response, b []byte) { verifiedResp, verified = r, b },
	}
	r := c.rc.R()
	callCtx, v2call := req.context(middleware.WithObserver(withCall(req.requestContext(ctx), r), obs)) // requestContext: upload.go
	r.SetContext(callCtx)
	r.Header = c.header(req)
	if req.body != nil {
		r.SetBody(req.body)
	}
	r.AddRetryCondition(retryCondition(ctx, req.method, req.retry, c.retries))

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
		apiErr.recordSigned(signed)
		return nil, apiErr
	}
	body := verified
	if verifiedResp != raw {
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
func (c *Client) header(req *preparedRequest) http.Header {
	h := req.header
	if c.pubKeyID == "" || h.Get(signer.HeaderSerial) != "" || strings.HasPrefix(req.path, "v2/") {
		return h
	}
	h = h.Clone()
	if h == nil {
		h = make(http.Header)
	}
	h.Set(signer.HeaderSerial, c.pubKeyID)
	return h
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
