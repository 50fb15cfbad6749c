// Package template implements RFC 6570 URI Templates, levels 1 to 4: the
// path templates of the wechatpay client ("v3/pay/transactions/id/{transaction_id}").
//
// # A guided tour
//
// Parse a template once, then expand it as often as needed, from any
// number of goroutines:
//
//	t, err := template.Parse("v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare")
//	path, err := t.Expand(map[string]any{"card_id": "pFS7Fjg8kV1I", "code": "478515832665"})
//	// v3/marketing/membercard-open/cards/pFS7Fjg8kV1I/codes/478515832665/bonus/prepare
//
// Every expression operator of the RFC is supported: {var} (simple),
// {+var} (reserved), {#var} (fragment), {.var} (label), {/var} (path
// segments), {;var} (path parameters), {?var} (query) and {&var} (query
// continuation), with prefix ({var:3}) and explode ({list*}) modifiers.
//
// Values are percent-encoded as the RFC requires (UTF-8, upper-case hex),
// so a value such as "a/../b" stays inside its path segment
// ("a%2F..%2Fb"); only {+var} and {#var} let reserved characters such as
// "/" through. A variable that is absent or nil is undefined and
// omitted, together with its separator; [Template.ExpandStrict] makes
// every undefined variable an error instead, and [Template.Names] lists
// the variables a template uses so that a caller can be stricter still
// (the wechatpay Chain rejects unknown variables too).
//
// Values may be strings, bools, integers, floats, json.Number,
// fmt.Stringer, lists ([]string, []any, []int...) and associative arrays
// (map[string]string, map[string]any...); see [Template.Expand]. Any other
// type is an error naming the variable and its Go type. [Format] turns a
// value into the same texts Expand writes (before percent-encoding), for
// callers that need a value as text elsewhere, such as a query string.
//
// [Template.AppendExpand] appends to a caller's buffer and allocates
// nothing for string, number and bool values; [Template.Expand] sizes its
// result in advance and allocates once.
//
// Every error matches [ErrTemplate] with errors.Is and is an [*Error]
// that says what went wrong and where: the byte offset of a syntax error,
// or the variable whose value could not be expanded. Messages never
// contain variable values.
//
// The package passes the public RFC 6570 conformance suite
// (github.com/uri-templates/uritemplate-test).
package template
