package catalog

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrInvalid matches, with [errors.Is], every error [Validate] returns: the
// request body does not match the documented fields.
var ErrInvalid = errors.New("catalog: the request does not match the documented endpoint")

// Kind classifies a [Problem].
type Kind int

const (
	// Missing is a required field that is absent or null.
	Missing Kind = iota + 1
	// Unknown is a field the catalog does not document there.
	Unknown
	// WrongType is a value whose JSON type is not the documented one.
	WrongType
	// Plaintext is a field the catalog marks encrypted, sent as plain text.
	Plaintext
	// Null is an optional field sent as null (WeChat Pay refuses null).
	Null
	// Malformed is a body that is not JSON, or not of the documented shape.
	Malformed
)

// Problem is one mismatch between a request body and the catalog.
type Problem struct {
	// Field is the dotted path of the field, with [i] for array elements:
	// "amount.total", "detail.goods_detail[0].quantity"; empty for the
	// body as a whole.
	Field string
	// Kind says what is wrong.
	Kind Kind
	// Issue is the human-readable text, such as "unknown field; did you
	// mean bonus_value?".
	Issue string
	// Suggestion is, for an Unknown field, the nearest documented name
	// (a dotted path when it lives elsewhere in the body); empty when no
	// name is close.
	Suggestion string
}

// String returns "field: issue".
func (p Problem) String() string {
	if p.Field == "" {
		return p.Issue
	}
	return p.Field + ": " + p.Issue
}

// ValidationError is the error [Validate] returns. It matches [ErrInvalid].
type ValidationError struct {
	Method, Path string // the endpoint as catalogued
	Problems     []Problem
}

// Error lists the problems and says where the check comes from and how to
// switch it off.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "catalog: %s %s: ", e.Method, e.Path)
	if len(e.Problems) > 1 {
		fmt.Fprintf(&b, "%d problems: ", len(e.Problems))
	}
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	src := db().source
	fmt.Fprintf(&b, " (checked against the endpoint catalog from %s of %s, which may lag behind the API; to skip the check leave Config.Validator nil, or pass --no-validate to the wechatpay command)",
		src.Repository, datePart(src.CommitDate))
	return b.String()
}

// Unwrap makes the error match [ErrInvalid].
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// datePart returns the date of an RFC 3339 time stamp.
func datePart(ts string) string {
	if len(ts) >= 10 {
		return ts[:10]
	}
	return ts
}

// Validate checks body, the JSON request body (nil for none), against the
// documented fields of the endpoint for method and path (a template or a
// concrete path, as for [Lookup]). It reports required fields that are
// missing, fields the catalog does not know (with the nearest documented
// name), values of the wrong JSON type, nested objects and arrays by the
// same rules, and fields the catalog marks encrypted that are sent as
// plain text (send them as wechatpay.Sensitive). The error is a
// *[ValidationError] matching [ErrInvalid].
//
// Validate has the signature of wechatpay.Config.Validator. It returns nil
// for an endpoint the catalog does not know (the docs lag behind the API)
// and for APIv2 endpoints, whose bodies are XML.
func Validate(method, path string, body []byte) error {
	d := db()
	i, ok := d.find(method, path)
	if !ok || d.endpoints[i].API != "v3" {
		return nil
	}
	problems := checkBody(d.schema(i), body)
	if len(problems) == 0 {
		return nil
	}
	ep := &d.endpoints[i]
	return &ValidationError{Method: ep.Method, Path: ep.Path, Problems: problems}
}

// checkBody checks body against root (nil: no JSON body documented).
func checkBody(root *schemaNode, body []byte) []Problem {
	empty := len(bytes.TrimSpace(body)) == 0
	switch {
	case root == nil && empty:
		return nil
	case root == nil:
		if bytes.Equal(bytes.TrimSpace(body), []byte("{}")) {
			return nil
		}
		return []Problem{{Kind: Unknown, Issue: "the endpoint documents no JSON body"}}
	case empty:
		if !root.field.Required {
			return nil
		}
		var names []string
		for _, name := range root.order {
			if root.children[name][0].field.Required {
				names = append(names, name)
			}
		}
		issue := "a JSON body (option \"json\") is required"
		if len(names) > 0 {
			issue += " with " + strings.Join(names, ", ")
		}
		return []Problem{{Kind: Missing, Issue: issue}}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []Problem{{Kind: Malformed, Issue: "the body is not valid JSON: " + err.Error()}}
	}
	c := checker{root: root}
	c.value("", root, v)
	sort.SliceStable(c.problems, func(i, j int) bool { return c.problems[i].Field < c.problems[j].Field })
	return c.problems
}

// checker walks a decoded body along the schema.
type checker struct {
	root     *schemaNode
	problems []Problem
}

func (c *checker) add(field string, kind Kind, format string, args ...any) {
	c.problems = append(c.problems, Problem{Field: field, Kind: kind, Issue: fmt.Sprintf(format, args...)})
}

// value checks v at path against n.
func (c *checker) value(path string, n *schemaNode, v any) {
	f := n.field
	if v == nil {
		c.add(path, Null, "null: omit the field instead (WeChat Pay refuses null)")
		return
	}
	switch f.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			c.wrongType(path, f.Type, v)
			return
		}
		c.object(path, n, m)
	case "object[]", "string[]", "integer[]", "number[]":
		list, ok := v.([]any)
		if !ok {
			c.wrongType(path, f.Type, v)
			return
		}
		elem := *n
		elem.field.Type = strings.TrimSuffix(f.Type, "[]")
		for i, item := range list {
			c.value(fmt.Sprintf("%s[%d]", path, i), &elem, item)
		}
	default:
		if !scalarOK(f.Type, v) {
			c.wrongType(path, f.Type, v)
			return
		}
		s, isString := v.(string)
		if isString && f.EncryptedWith == "wechatpay-public-key" && s != "" && !looksEncrypted(s) {
			c.add(path, Plaintext, "sent as plain text, but the catalog marks it encrypted (%s): pass it as wechatpay.Sensitive so the client encrypts it", f.Encrypted)
		}
		if isString && f.Encoded == "by-json_encode" && len(n.order) > 0 {
			c.encoded(path, n, s)
		}
	}
}

// object checks the members of m against the children of n.
func (c *checker) object(path string, n *schemaNode, m map[string]any) {
	for _, name := range n.order {
		alt := n.children[name]
		if v, present := m[name]; (!present || v == nil) && alt[0].field.Required {
			c.add(join(path, name), Missing, "required field missing (%s)", alt[0].field.Type)
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m[k]
		alt, known := n.children[k]
		switch {
		case !known:
			c.unknown(join(path, k), k, n)
		case v == nil && alt[0].field.Required:
			// reported as missing above
		default:
			c.alternatives(join(path, k), alt, v)
		}
	}
}

// alternatives checks v against each documented shape of a field and
// keeps the problems of the first one when none fits.
func (c *checker) alternatives(path string, alt []*schemaNode, v any) {
	if len(alt) == 1 {
		c.value(path, alt[0], v)
		return
	}
	var first []Problem
	for i, a := range alt {
		sub := checker{root: c.root}
		sub.value(path, a, v)
		if len(sub.problems) == 0 {
			return
		}
		if i == 0 {
			first = sub.problems
		}
	}
	c.problems = append(c.problems, first...)
}

// unknown reports a field the catalog does not document under n, with the
// nearest sibling name, or the path of a field of that exact name
// elsewhere in the body.
func (c *checker) unknown(path, name string, n *schemaNode) {
	p := Problem{Field: path, Kind: Unknown, Issue: "unknown field"}
	if s, ok := nearest(name, n.order); ok {
		p.Suggestion = s
	} else {
		c.root.each("", func(other string, o *schemaNode) {
			if p.Suggestion == "" && o.field.Name == name {
				p.Suggestion = other
			}
		})
	}
	if p.Suggestion != "" {
		p.Issue += "; did you mean " + p.Suggestion + "?"
	}
	c.problems = append(c.problems, p)
}

// encoded checks a string holding JSON against the rows documented below
// it.
func (c *checker) encoded(path string, n *schemaNode, s string) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var inner any
	if err := dec.Decode(&inner); err != nil {
		c.add(path, Malformed, "must be a string holding JSON (the catalog marks it %s): %v", n.field.Encoded, err)
		return
	}
	obj := *n
	obj.field.Type, obj.field.Encoded, obj.field.Encrypted, obj.field.EncryptedWith = "object", "", "", ""
	if _, isList := inner.([]any); isList {
		obj.field.Type = "object[]"
	}
	c.value(path, &obj, inner)
}

func (c *checker) wrongType(path, want string, v any) {
	c.add(path, WrongType, "wrong type: the catalog says %s, got %s", want, jsonType(v))
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// scalarOK reports whether v (decoded with UseNumber) has the documented
// scalar type. Unknown types are accepted.
func scalarOK(typ string, v any) bool {
	switch typ {
	case "string":
		_, ok := v.(string)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		return ok && isInteger(string(n))
	case "number", "float":
		_, ok := v.(json.Number)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "true":
		b, ok := v.(bool)
		return ok && b
	}
	return true
}

// isInteger reports whether a JSON number literal has no fraction or
// exponent.
func isInteger(n string) bool { return !strings.ContainsAny(n, ".eE") }

// jsonType names the JSON type of a decoded value.
func jsonType(v any) string {
	switch x := v.(type) {
	case string:
		return "string"
	case json.Number:
		if isInteger(string(x)) {
			return "integer " + string(x)
		}
		return "number " + string(x)
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// looksEncrypted reports whether s is what RSA-OAEP with a 2048-, 3072- or
// 4096-bit key produces, base64-encoded.
func looksEncrypted(s string) bool {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	switch len(raw) {
	case 256, 384, 512:
		return true
	}
	return false
}
