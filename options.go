package wechatpay

import (
	"slices"
	"strings"
)

// Options carries one request's parameters. Its reserved keys configure the
// request; every other key is a variable of the chain's URI template.
//
// Reserved keys (the list is [ReservedOptionKeys]):
//
//   - "json": any value, marshalled as JSON (without HTML escaping) and sent
//     with Content-Type: application/json.
//   - "body": a string, []byte or io.Reader sent verbatim (the reader is read
//     in full before sending, so retries resend the same bytes). Only one of
//     "json" and "body" may be given.
//   - "query": url.Values, map[string]string or map[string]any. The values of
//     a map[string]any are scalars or lists, turned into text by the same
//     formatter as template variables ([template.Format]: 30 -> "30", a named
//     int as its number, []int as one pair per member); an undefined value
//     (nil, a nil pointer, an empty list), a map, NaN or an unsupported type
//     is an error. The query is encoded once, sorted by key, and that
//     encoding is both what goes on the wire and what is signed.
//   - "headers": http.Header or map[string]string, added to the request. A
//     name or value net/http would refuse (CR, LF, NUL or another control
//     byte in a value; a name that is not an HTTP token) is an error before
//     signing, and Authorization and Host cannot be set this way.
//   - "retry": bool. When the client has a retry policy, true lets this POST
//     or PATCH be retried (WeChat Pay makes most writes idempotent through
//     out_trade_no and similar keys; only the caller knows).
//   - "upload": a [Upload], sent as multipart/form-data whose "meta" JSON
//     part is what the signature covers. Exclusive with "json" and "body".
//   - "xml" (APIv2 only, for paths starting with "v2/"): [M] or
//     map[string]string, the flat fields of the request; sent as
//     <xml>…</xml> (CDATA where needed), or in the query of a GET, with
//     nonce_str and sign added by the signer. "json", "body" and "query"
//     are refused on APIv2 paths.
//   - "security" (APIv2 only): bool; true sends the call over mutual TLS
//     with Config.ClientCertificate.
//   - "nonceless" (APIv2 only): bool; true adds no nonce_str.
//
// Template variables are strict, and every failure is an error wrapping
// [ErrTemplate] reported before any network I/O:
//
//   - every variable the template needs must be defined: not missing, nil,
//     a nil pointer or Stringer, an empty list or map, or a list or map of
//     only nil members;
//   - a value filling a whole path segment may not be empty (that would
//     address the collection instead of the item), so the expanded path has
//     no empty segment and ends with '/' only where the template's does;
//   - a key that is neither reserved nor a variable of the template is an
//     error (it catches typos such as "josn").
type Options map[string]any

// M is shorthand for a JSON object in "json" options.
type M = map[string]any

// reservedOptionKeys is the one list of reserved option keys, in the order
// the documentation gives them. Chains refuse them as variable names, the
// unknown-option error lists them and the CLI refuses them as -p names.
// Reserving a new key is one line here (a constant below is optional).
var reservedOptionKeys = []string{
	"json",
	"body",
	"query",
	"headers",
	"retry",
	optUpload,    // upload.go
	optXML,       // APIv2, see v2.go
	optSecurity,  // APIv2
	optNonceless, // APIv2
}

// Names for the reserved keys, for the code that reads them; each must be
// in reservedOptionKeys (TestReservedOptionKeys checks).
const (
	optJSON    = "json"
	optBody    = "body"
	optQuery   = "query"
	optHeaders = "headers"
	optRetry   = "retry"
)

// ReservedOptionKeys returns the reserved keys of [Options] ("json",
// "body", "query", "headers", "retry", …): keys that configure the request
// and so can never be template variables. The slice is a fresh copy.
func ReservedOptionKeys() []string { return slices.Clone(reservedOptionKeys) }

// isReserved reports whether key is a reserved option key.
func isReserved(key string) bool { return slices.Contains(reservedOptionKeys, key) }

// reservedList is the reserved keys for error messages: "json, body, …".
func reservedList() string { return strings.Join(reservedOptionKeys, ", ") }
