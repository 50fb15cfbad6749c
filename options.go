package wechatpay

// Options carries one request's parameters. Its reserved keys configure the
// request; every other key is a variable of the chain's URI template.
//
// Reserved keys:
//
//   - "json": any value, marshalled as JSON (without HTML escaping) and sent
//     with Content-Type: application/json.
//   - "body": a string, []byte or io.Reader sent verbatim (the reader is read
//     in full before sending, so retries resend the same bytes). Only one of
//     "json" and "body" may be given.
//   - "query": url.Values, map[string]string or map[string]any (values may be
//     scalars or lists of scalars). It is encoded once, sorted by key, and
//     that encoding is both what goes on the wire and what is signed.
//   - "headers": http.Header or map[string]string, added to the request.
//   - "retry": bool. When the client has a retry policy, true lets this POST
//     or PATCH be retried (WeChat Pay makes most writes idempotent through
//     out_trade_no and similar keys; only the caller knows).
//   - "upload": a [Upload], sent as multipart/form-data whose "meta" JSON
//     part is what the signature covers. Exclusive with "json" and "body".
//
// Template variables are strict: a variable the template needs that is
// missing or nil, and a key that is neither reserved nor a variable of the
// template, are errors wrapping [ErrTemplate], reported before any network
// I/O.
type Options map[string]any

// M is shorthand for a JSON object in "json" options.
type M = map[string]any

// The reserved option keys.
const (
	optJSON    = "json"
	optBody    = "body"
	optQuery   = "query"
	optHeaders = "headers"
	optRetry   = "retry"
)

// isReserved reports whether key is a reserved option key.
func isReserved(key string) bool {
	switch key {
	case optJSON, optBody, optQuery, optHeaders, optRetry, optUpload:
		return true
	}
	return false
}
