package wechatpaytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// body is a decoded JSON request body with helpers that produce the
// PARAM_ERROR answers WeChat Pay gives for bad fields.
type body map[string]any

// decodeBody parses a JSON object, keeping numbers exact.
func decodeBody(r *Request) (body, *Reply) {
	var b body
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	if err := dec.Decode(&b); err != nil || b == nil {
		rp := FailDetail(http.StatusBadRequest, "PARAM_ERROR", "the request body is not a JSON object",
			M{"location": "body"})
		return nil, &rp
	}
	return b, nil
}

// lookup follows a dotted path such as "amount.total".
func (b body) lookup(path string) (any, bool) {
	var cur any = map[string]any(b)
	for _, key := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[key]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// paramError is the 400 answer for one bad field.
func paramError(field, issue string, value any) *Reply {
	detail := M{"field": field, "location": "body", "issue": issue}
	if value != nil {
		detail["value"] = value
	}
	rp := FailDetail(http.StatusBadRequest, "PARAM_ERROR", fmt.Sprintf("%s: %s", field, issue), detail)
	return &rp
}

// str returns a required non-empty string field.
func (b body) str(field string) (string, *Reply) {
	v, ok := b.lookup(field)
	if !ok || v == nil {
		return "", paramError(field, "is required", nil)
	}
	s, ok := v.(string)
	if !ok {
		return "", paramError(field, "must be a string", v)
	}
	if s == "" {
		return "", paramError(field, "must not be empty", v)
	}
	return s, nil
}

// optStr returns an optional string field ("" when absent).
func (b body) optStr(field string) (string, *Reply) {
	if v, ok := b.lookup(field); !ok || v == nil {
		return "", nil
	}
	return b.str(field)
}

// positiveInt returns a required integer field that must be > 0.
func (b body) positiveInt(field string) (int64, *Reply) {
	v, ok := b.lookup(field)
	if !ok || v == nil {
		return 0, paramError(field, "is required", nil)
	}
	n, ok := v.(json.Number)
	if !ok {
		return 0, paramError(field, "must be an integer", v)
	}
	i, err := n.Int64()
	if err != nil {
		return 0, paramError(field, "must be an integer", v)
	}
	if i <= 0 {
		return 0, paramError(field, "must be greater than 0", i)
	}
	return i, nil
}

// merchant checks that a body's mchid is the server's merchant.
func (s *Server) merchant(b body, field string) *Reply {
	mchid, bad := b.str(field)
	if bad != nil {
		return bad
	}
	if mchid != s.mchid {
		return paramError(field, fmt.Sprintf("%q does not match the merchant %q of the Authorization", mchid, s.mchid), mchid)
	}
	return nil
}
