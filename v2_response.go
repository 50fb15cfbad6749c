package wechatpay

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"

	"github.com/tidwall/gjson"
)

// xmlField returns field name of an APIv2 answer as a gjson string result,
// or the empty result when the answer has no such field.
func xmlField(fields map[string]string, name string) gjson.Result {
	v, ok := fields[name]
	if !ok {
		return gjson.Result{}
	}
	raw, _ := json.Marshal(v)
	return gjson.Result{Type: gjson.String, Str: v, Raw: string(raw)}
}

// decodeXML unmarshals an APIv2 answer into v. The body was already parsed
// by the safe decoder (no DTD, no entities), so encoding/xml sees only
// plain documents.
func (r *Response) decodeXML(v any) error {
	if m, ok := v.(*map[string]string); ok {
		if *m == nil {
			*m = make(map[string]string, len(r.xml))
		}
		maps.Copy(*m, r.xml)
		return nil
	}
	if err := xml.Unmarshal(r.body, v); err != nil {
		return fmt.Errorf("wechatpay: decoding APIv2 answer: %w", err)
	}
	return nil
}

// Fields returns a copy of the fields of an APIv2 answer, or nil for an
// APIv3 answer.
func (r *Response) Fields() map[string]string {
	if r.xml == nil {
		return nil
	}
	return maps.Clone(r.xml)
}
