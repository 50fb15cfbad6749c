package wechatpay

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/tidwall/gjson"
)

// Response is a verified 2xx answer. Its body is the exact bytes whose
// signature was checked (or, for the documented unsigned downloads, the
// bytes received).
type Response struct {
	status int
	header http.Header
	body   []byte
}

// StatusCode returns the HTTP status, e.g. 200 or 204.
func (r *Response) StatusCode() int { return r.status }

// Header returns the answer's headers.
func (r *Response) Header() http.Header { return r.header }

// Body returns the answer's body. The slice is shared: do not modify it.
func (r *Response) Body() []byte { return r.body }

// Get returns the JSON value at path (gjson syntax, e.g. "data.0.serial_no").
func (r *Response) Get(path string) gjson.Result { return gjson.GetBytes(r.body, path) }

// Decode unmarshals the JSON body into v.
func (r *Response) Decode(v any) error {
	if err := json.Unmarshal(r.body, v); err != nil {
		return fmt.Errorf("wechatpay: decoding response (request id %s): %w", r.RequestID(), err)
	}
	return nil
}

// RequestID returns the Request-ID header that identifies the call to
// WeChat Pay support.
func (r *Response) RequestID() string { return r.header.Get("Request-ID") }

// String returns the body as text.
func (r *Response) String() string { return string(r.body) }
