package wechatpay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
	"github.com/wechatpay-chain/wechatpay/template"
)

// ErrVerification matches, with [errors.Is], every failure to verify a
// response signature: a missing Wechatpay-* header, clock skew, an unknown
// serial, an unsupported signature type or a bad signature. The concrete
// error is a [*signer.VerificationError] that names the rule that failed.
var ErrVerification = signer.ErrVerification

// ErrSignatureProbe matches, with [errors.Is], a verification failure
// caused by a deliberately wrong "WECHATPAY/SIGNTEST/…" probe signature
// WeChat Pay sends to test verification. It always matches
// [ErrVerification] too. A probe-failed query may be repeated; a
// probe-failed mutation was executed: query its state before repeating it.
var ErrSignatureProbe = signer.ErrSignatureProbe

// ErrResponseTooLarge matches, with [errors.Is], a 2xx answer whose body is
// larger than Config.MaxResponseBytes. Such a call is not retried. (A
// larger error answer is an [*APIError] whose Body is cut at the limit.)
var ErrResponseTooLarge = middleware.ErrBodyTooLarge

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
	Template   string          // the chain's template path the request was expanded from
	Truncated  bool            // Body was cut at Config.MaxResponseBytes

	// SignInformation is detail.sign_information of a 401 SIGN_ERROR
	// answer: what WeChat Pay thinks was signed. nil otherwise.
	SignInformation *SignInformation
	// SignedLength and SignedPrefix describe what this client signed on
	// the attempt that got a SIGN_ERROR (the message length, and its first
	// bytes: as many as the server's truncated message, at most 1 KiB), to
	// show beside SignInformation. Zero otherwise. Never the signature.
	SignedLength int
	SignedPrefix string
}

// SignInformation is what a 401 SIGN_ERROR answer says WeChat Pay verified
// (detail.sign_information): the method and URL it used, and the length
// and the first bytes of the message it rebuilt.
type SignInformation struct {
	Method               string `json:"method"`
	URL                  string `json:"url"`
	SignMessageLength    int    `json:"sign_message_length"`
	TruncatedSignMessage string `json:"truncated_sign_message"`
}

// maxSignedPrefix caps APIError.SignedPrefix.
const maxSignedPrefix = 1 << 10

// Error implements error. It names the call, the status, the code and the
// request id; it never includes request headers.
func (e *APIError) Error() string {
	msg := fmt.Sprintf("wechatpay: %s %s%s: HTTP %d", e.Method, e.Path, templateNote(e.Path, e.Template), e.StatusCode)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.SignInformation != nil {
		si := e.SignInformation
		msg += fmt.Sprintf("; WeChat Pay verified %s %s over %d bytes %q", si.Method, si.URL, si.SignMessageLength, si.TruncatedSignMessage)
		if e.SignedLength > 0 {
			msg += fmt.Sprintf(", this client signed %d bytes %q", e.SignedLength, e.SignedPrefix)
		}
	}
	if e.Truncated {
		msg += " (body cut at the size limit)"
	}
	if e.RequestID != "" {
		msg += " (request id " + e.RequestID + ")"
	}
	return msg
}

// recordSigned fills SignedLength and SignedPrefix from the message this
// client signed, when the answer carried sign_information.
func (e *APIError) recordSigned(message []byte) {
	if e.SignInformation == nil || len(message) == 0 {
		return
	}
	n := len(e.SignInformation.TruncatedSignMessage)
	if n == 0 || n > maxSignedPrefix {
		n = maxSignedPrefix
	}
	e.SignedLength = len(message)
	e.SignedPrefix = string(message[:min(n, len(message))])
}

// newAPIError builds an APIError from a non-2xx answer.
func newAPIError(req *preparedRequest, status int, header http.Header, body []byte) *APIError {
	e := &APIError{
		StatusCode: status,
		Header:     header,
		Body:       body,
		RequestID:  header.Get("Request-ID"),
		Method:     req.method,
		Path:       req.path,
		Template:   req.tmpl,
	}
	var parsed struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Detail  json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &parsed) == nil {
		e.Code, e.Message, e.Detail = parsed.Code, parsed.Message, parsed.Detail
	}
	if len(e.Detail) > 0 {
		var d struct {
			SignInformation *SignInformation `json:"sign_information"`
		}
		if json.Unmarshal(e.Detail, &d) == nil {
			e.SignInformation = d.SignInformation
		}
	}
	return e
}

// callError is a failed call that did not get as far as an API error: it
// names the method, the path and, when known, the serial and Request-ID,
// and keeps one "wechatpay:" prefix however many layers added one.
type callError struct {
	method, path, template string
	err                    error
}

func (e *callError) Error() string {
	return "wechatpay: " + e.method + " " + e.path + templateNote(e.path, e.template) + ": " + trimPrefix(e.err.Error())
}

// templateNote names the template a path was expanded from, when it
// differs from the path (a path without placeholders names itself).
func templateNote(path, template string) string {
	if template == "" || template == path {
		return ""
	}
	return " (template " + template + ")"
}

func (e *callError) Unwrap() error { return e.err }

// trimPrefix removes every leading "wechatpay: " from msg.
func trimPrefix(msg string) string {
	for {
		rest, ok := strings.CutPrefix(msg, "wechatpay: ")
		if !ok {
			return msg
		}
		msg = rest
	}
}
