package wechatpay

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/wechatpay-chain/wechatpay/signer"
	"github.com/wechatpay-chain/wechatpay/template"
)

// ErrVerification matches, with [errors.Is], every failure to verify a
// response signature: a missing Wechatpay-* header, clock skew, an unknown
// serial, an unsupported signature type or a bad signature. The concrete
// error is a [*signer.VerificationError] that names the rule that failed.
var ErrVerification = signer.ErrVerification

// ErrTemplate matches, with [errors.Is], every error raised while turning a
// chain and its [Options] into a request target: a template syntax error, a
// missing or unknown variable, a value of an unsupported type or a value
// that would produce a dot segment. No network I/O has happened when such
// an error is returned.
var ErrTemplate = template.ErrTemplate

// APIError is the error returned for every answer whose status is not 2xx.
// WeChat Pay describes the failure in a JSON body such as
//
//	{"code":"PARAM_ERROR","message":"…","detail":{"field":"…","issue":"…"}}
//
// which is parsed into Code, Message and Detail. Match it with [errors.As].
type APIError struct {
	StatusCode int             // HTTP status of the answer
	Code       string          // the "code" field, e.g. "PARAM_ERROR"; empty when the body is not JSON
	Message    string          // the "message" field
	Detail     json.RawMessage // the "detail" field, verbatim; nil when absent
	Header     http.Header     // the answer's headers
	Body       []byte          // the answer's body, verbatim
	RequestID  string          // the Request-ID header, which WeChat Pay support asks for
	Method     string          // the request method
	Path       string          // the request path (no scheme, host or query)
}

// Error implements error. It names the call, the status, the code and the
// request id; it never includes request headers.
func (e *APIError) Error() string {
	msg := fmt.Sprintf("wechatpay: %s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RequestID != "" {
		msg += " (request id " + e.RequestID + ")"
	}
	return msg
}

// newAPIError builds an APIError from a non-2xx answer.
func newAPIError(method, path string, status int, header http.Header, body []byte) *APIError {
	e := &APIError{
		StatusCode: status,
		Header:     header,
		Body:       body,
		RequestID:  header.Get("Request-ID"),
		Method:     method,
		Path:       path,
	}
	var parsed struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Detail  json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &parsed) == nil {
		e.Code, e.Message, e.Detail = parsed.Code, parsed.Message, parsed.Detail
	}
	return e
}
