package wechatpaytest

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
)

// Handler answers one authenticated request to a route registered with
// [Server.Handle]. The server signs whatever it returns.
type Handler func(r *Request) Reply

// M is shorthand for a JSON object in replies.
type M = map[string]any

// Request is what a [Handler] sees of a request that passed authentication.
type Request struct {
	// Method is the HTTP method, upper case.
	Method string
	// Path is the request's escaped path relative to the server's base path,
	// without a leading "/", e.g. "v3/pay/transactions/id/4200000001".
	Path string
	// Vars holds the pattern's placeholders, percent-decoded.
	Vars map[string]string
	// Query is the parsed query string.
	Query url.Values
	// Header is the request's header.
	Header http.Header
	// Body is the exact request body (for a media upload, the whole
	// multipart body; see Part).
	Body []byte

	ctx context.Context
}

// Context returns the request's context, cancelled when the client goes
// away or the server closes.
func (r *Request) Context() context.Context { return r.ctx }

// DecodeJSON unmarshals the body into v.
func (r *Request) DecodeJSON(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("wechatpaytest: request body is not the expected JSON: %w", err)
	}
	return nil
}

// Part returns the raw bytes of the multipart/form-data part called name
// (such as "meta" or "file" of a media upload), and whether there is one.
func (r *Request) Part(name string) ([]byte, bool) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		return nil, false
	}
	b, err := formPart(params["boundary"], r.Body, name)
	return b, err == nil
}

// Reply is a [Handler]'s answer. The zero Reply is 204 No Content.
type Reply struct {
	// Status is the HTTP status; 0 means 200, or 204 when there is no body.
	Status int
	// JSON, when Body is nil, is marshalled (without HTML escaping) as the
	// body, with Content-Type application/json.
	JSON any
	// Body, when not nil, is sent as is; set its Content-Type in Header.
	Body []byte
	// Header holds extra response headers.
	Header http.Header
	// Unsigned leaves out the Wechatpay-* signature headers, as WeChat
	// Pay does for file downloads.
	Unsigned bool
}

// JSON returns a Reply with status and v marshalled as its JSON body.
func JSON(status int, v any) Reply { return Reply{Status: status, JSON: v} }

// Fail returns an APIv3 error reply: {"code":…,"message":…}.
func Fail(status int, code, message string) Reply {
	return Reply{Status: status, JSON: apiError{Code: code, Message: message}}
}

// FailDetail returns an APIv3 error reply with a detail object, such as
// {"field":"amount.total","location":"body","issue":"…"}.
func FailDetail(status int, code, message string, detail any) Reply {
	return Reply{Status: status, JSON: apiError{Code: code, Message: message, Detail: detail}}
}

// NoContent returns the 204 reply with an empty body.
func NoContent() Reply { return Reply{Status: http.StatusNoContent} }

// Raw returns a reply whose body is sent as is with the given Content-Type.
func Raw(status int, contentType string, body []byte) Reply {
	if body == nil {
		body = []byte{}
	}
	return Reply{Status: status, Body: body, Header: http.Header{"Content-Type": {contentType}}}
}

// apiError is the body of every APIv3 error answer.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Detail  any    `json:"detail,omitempty"`
}

// encode returns the reply's status, body and Content-Type.
func (rp Reply) encode() (status int, body []byte, contentType string, err error) {
	contentType = rp.Header.Get("Content-Type")
	switch {
	case rp.Body != nil:
		body = rp.Body
	case rp.JSON != nil:
		if body, err = marshalNoEscape(rp.JSON); err != nil {
			return 0, nil, "", fmt.Errorf("wechatpaytest: encoding the reply: %w", err)
		}
		if contentType == "" {
			contentType = "application/json"
		}
	}
	status = rp.Status
	if status == 0 {
		status = http.StatusOK
		if len(body) == 0 {
			status = http.StatusNoContent
		}
	}
	return status, body, contentType, nil
}
