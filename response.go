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
	xml    map[string]string // the fields of an APIv2 answer; nil for APIv3
}

// StatusCode returns the HTTP status, e.g. 200 or 204.
func (r *Response) StatusCode() int { return r.status }

// Header returns the answer's headers.
func (r *Response) Header() http.Header { return r.header }

// Body returns the answer's body. The slice is shared: do not modify it.
func (r *Response) Body() []byte { return r.body }

// Get returns the JSON value at path (gjson syntax, e.g. "data.0.serial_no").
// For an APIv2 answer it returns the XML field named path, as a string
// result (so .String(), .Int() and .Exists() work).
func (r *Response) Get(path string) gjson.Result {
	if r.xml != nil {
		return xmlField(r.xml, path)
	}
	return gjson.GetBytes(r.body, path)
}

// Decode unmarshals the JSON body into v; an APIv2 answer's XML body is
// unmarshalled with encoding/xml (a *map[string]string receives the
// fields).
func (r *Response) Decode(v any) error {
	if r.xml != nil {
		return r.decodeXML(v)
	}
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
