package apiv2_test

import (
	"testing"

	"github.com/wechatpay-chain/wechatpay/apiv2"
)

// FuzzDecode feeds arbitrary documents to the XML parser: it must never
// panic, and whatever it accepts must survive Encode and Decode unchanged
// when its names and values are encodable.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`<xml><return_code><![CDATA[SUCCESS]]></return_code><sign>ABC</sign></xml>`,
		`<?xml version="1.0"?><xml><a>&lt;</a><b/></xml>`,
		`<xml><hblist><hbinfo><openid>o</openid></hbinfo></hblist></xml>`,
		billionLaughs(),
		`<xml><a>]]&gt;</a></xml>`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fields, err := apiv2.Decode(data)
		if err != nil {
			return
		}
		enc, err := apiv2.Encode(fields)
		if err != nil {
			return // e.g. a nested field's inner XML or a name Encode does not produce
		}
		back, err := apiv2.Decode(enc)
		if err != nil {
			t.Fatalf("Decode(Encode(%q)) failed: %v", fields, err)
		}
		if len(back) != len(fields) {
			t.Fatalf("round trip changed the field count: %q -> %q", fields, back)
		}
		for k, v := range fields {
			if back[k] != v {
				t.Fatalf("round trip changed %q: %q -> %q", k, v, back[k])
			}
		}
	})
}
