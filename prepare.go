package wechatpay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// preparedRequest is a request whose every option has been checked and
// encoded; sending it does no more validation.
type preparedRequest struct {
	method string
	url    string // absolute URL: base URL + expanded target (+ query)
	path   string // the expanded path relative to the base URL, for errors and logs
	tmpl   string // the chain's template path, for errors
	body   []byte // nil for no body
	header http.Header
	retry  bool       // the caller allows this non-idempotent request to be retried
	v2     *v2Request // non-nil for an APIv2 call
	// signedBody, when not nil, is signed instead of body (an upload's meta JSON).
	signedBody []byte
}

// prepare validates method and opts and builds the request. It does no I/O
// beyond reading an io.Reader given as "body".
func (ch *Chain) prepare(method string, opts Options) (*preparedRequest, error) {
	method, err := checkMethod(method)
	if err != nil {
		return nil, err
	}
	target, err := ch.target(opts)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(target, apiv2Prefix) {
		return ch.prepareV2(method, target, opts)
	}
	if err := ch.checkAPIv3Call(method, target, opts); err != nil {
		return nil, err
	}
	req := &preparedRequest{method: method, path: target, tmpl: ch.path}
	if q, ok := opts[optQuery]; ok {
		query, err := encodeQuery(q)
		if err != nil {
			return nil, err
		}
		if query != "" {
			sep := "?"
			if strings.Contains(target, "?") {
				sep = "&"
			}
			target += sep + query
		}
	}
	req.url = ch.client.baseURL + target
	if i := strings.IndexAny(req.path, "?#"); i >= 0 {
		req.path = req.path[:i]
	}

	upload, isUpload, err := encodeUpload(opts)
	if err != nil {
		return nil, err
	}
	if isUpload {
		req.body, req.signedBody = upload.body, upload.meta
	} else if req.body, err = encodeBody(opts); err != nil {
		return nil, err
	}
	if req.body != nil && (method == http.MethodGet || method == http.MethodHead) {
		return nil, fmt.Errorf("%w: a %s request cannot carry a body (option \"json\" or \"body\")", ErrTemplate, method)
	}
	if err := ch.runValidator(method, opts, req.body); err != nil {
		return nil, err
	}
	if req.header, err = encodeHeaders(opts[optHeaders]); err != nil {
		return nil, err
	}
	if _, isJSON := opts[optJSON]; isJSON && req.header.Get("Content-Type") == "" {
		req.header.Set("Content-Type", "application/json")
	}
	if isUpload {
		req.header.Set("Content-Type", upload.contentType) // the boundary must be the body's
	}
	if r, ok := opts[optRetry]; ok {
		b, isBool := r.(bool)
		if !isBool {
			return nil, fmt.Errorf("%w: option \"retry\": want bool, got %T", ErrTemplate, r)
		}
		req.retry = b
	}
	return req, nil
}

// checkMethod upper-cases method and accepts the methods WeChat Pay uses.
func checkMethod(method string) (string, error) {
	m := strings.ToUpper(method)
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return m, nil
	}
	return "", fmt.Errorf("%w: unsupported HTTP method %q", ErrTemplate, method)
}

// encodeBody returns the exact bytes to send for the "json" or "body"
// option, or nil when there is none.
func encodeBody(opts Options) ([]byte, error) {
	j, hasJSON := opts[optJSON]
	b, hasBody := opts[optBody]
	switch {
	case hasJSON && hasBody:
		return nil, fmt.Errorf("%w: options \"json\" and \"body\" are exclusive", ErrTemplate)
	case hasJSON:
		return marshalJSON(j)
	case hasBody:
		switch v := b.(type) {
		case string:
			return []byte(v), nil
		case []byte:
			return bytes.Clone(v), nil
		case io.Reader:
			data, err := io.ReadAll(v)
			if c, ok := v.(io.Closer); ok {
				c.Close()
			}
			if err != nil {
				return nil, fmt.Errorf("wechatpay: reading option \"body\": %w", err)
			}
			return data, nil
		default:
			return nil, fmt.Errorf("%w: option \"body\": unsupported type %T (want string, []byte or io.Reader)", ErrTemplate, b)
		}
	}
	return nil, nil
}

// marshalJSON encodes v as JSON without HTML escaping (WeChat Pay compares
// and signs the exact bytes; "<" stays "<").
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("%w: option \"json\": %w", ErrTemplate, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
