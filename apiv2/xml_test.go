package apiv2_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay/apiv2"
)

func TestEncode(t *testing.T) {
	t.Parallel()
	got, err := apiv2.Encode(map[string]string{
		"mch_id": "1230000109",
		"body":   `a<b & "c"`,
		"detail": "x]]>y",
		"appid":  "wx1",
		"remark": "a\r\nb",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `<xml><appid>wx1</appid><body><![CDATA[a<b & "c"]]></body><detail><![CDATA[x]]]]><![CDATA[>y]]></detail><mch_id>1230000109</mch_id><remark>a&#xD;&#xA;b</remark></xml>`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Encode (-want +got):\n%s", diff)
	}
	back, err := apiv2.Decode(got)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"mch_id": "1230000109", "body": `a<b & "c"`, "detail": "x]]>y", "appid": "wx1", "remark": "a\r\nb"}, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestEncodeRefuses(t *testing.T) {
	t.Parallel()
	for name, fields := range map[string]map[string]string{
		"empty name":         {"": "x"},
		"name with space":    {"a b": "x"},
		"name with <":        {"a<": "x"},
		"leading digit":      {"1a": "x"},
		"NUL in value":       {"a": "x\x00"},
		"invalid UTF-8":      {"a": "\xff"},
		"form feed in value": {"a": "\f"},
	} {
		if _, err := apiv2.Encode(fields); !errors.Is(err, apiv2.ErrXML) {
			t.Errorf("%s: Encode = %v, want ErrXML", name, err)
		}
	}
}

func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want map[string]string
	}{
		{"plain and CDATA", `<xml><return_code><![CDATA[SUCCESS]]></return_code><total_fee>1</total_fee></xml>`,
			map[string]string{"return_code": "SUCCESS", "total_fee": "1"}},
		{"declaration, comments, whitespace", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml>\n <a>1</a><!-- c -->\n <b></b>\n</xml>\n",
			map[string]string{"a": "1", "b": ""}},
		{"indexed names stay fields", `<xml><coupon_count>2</coupon_count><coupon_type_0>CASH</coupon_type_0><coupon_fee_0>1</coupon_fee_0><coupon_type_1>NO_CASH</coupon_type_1></xml>`,
			map[string]string{"coupon_count": "2", "coupon_type_0": "CASH", "coupon_fee_0": "1", "coupon_type_1": "NO_CASH"}},
		{"predefined entities", `<xml><a>&lt;&amp;&gt;&quot;&apos;&#x4F60;</a></xml>`, map[string]string{"a": `<&>"'你`}},
		{"nested keeps inner XML", `<xml><hblist><hbinfo><openid>o1</openid></hbinfo></hblist><n>1</n></xml>`,
			map[string]string{"hblist": "<hbinfo><openid>o1</openid></hbinfo>", "n": "1"}},
		{"attributes ignored", `<xml><a x="1">v</a></xml>`, map[string]string{"a": "v"}},
		{"empty root", `<xml/>`, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := apiv2.Decode([]byte(tt.in))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decode (-want +got):\n%s", diff)
			}
		})
	}
}

// billionLaughs is the classic entity-expansion bomb: 10 levels of 10
// references, a billion "lol"s if expanded.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := "lol" + string(rune('0'+i))
		b.WriteString(`<!ENTITY ` + name + ` "` + strings.Repeat("&"+prev+";", 10) + `">`)
		prev = name
	}
	b.WriteString(`]><xml><return_code>&` + prev + `;</return_code></xml>`)
	return b.String()
}

func TestDecodeRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		unsafe bool
	}{
		{"billion laughs", billionLaughs(), true},
		{"external entity", `<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><a>&x;</a></xml>`, true},
		{"doctype only", `<!DOCTYPE xml><xml><a>1</a></xml>`, true},
		{"processing instruction", `<xml><?php echo 1 ?><a>1</a></xml>`, true},
		{"late declaration", ` <?xml version="1.0"?><xml/>`, true},
		{"undeclared entity", `<xml><a>&lol;</a></xml>`, false},
		{"duplicate field", `<xml><sign>A</sign><sign>B</sign></xml>`, false},
		{"other root", `<root><a>1</a></root>`, false},
		{"text in root", `<xml>hi<a>1</a></xml>`, false},
		{"second root", `<xml/><xml/>`, false},
		{"unclosed", `<xml><a>1</a>`, false},
		{"mismatched", `<xml><a>1</b></xml>`, false},
		{"empty", ``, false},
		{"not XML", `{"code":"x"}`, false},
		{"namespaced field", `<xml xmlns:p="u"><p:a>1</p:a></xml>`, false},
		{"too deep", `<xml>` + strings.Repeat("<a>", 20) + strings.Repeat("</a>", 20) + `</xml>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := apiv2.Decode([]byte(tt.in))
			if !errors.Is(err, apiv2.ErrXML) {
				t.Fatalf("Decode = %v, %v; want ErrXML", got, err)
			}
			if errors.Is(err, apiv2.ErrUnsafeXML) != tt.unsafe {
				t.Errorf("errors.Is(err, ErrUnsafeXML) = %v, want %v (%v)", !tt.unsafe, tt.unsafe, err)
			}
		})
	}
}

func TestDecodeTooManyFields(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("<xml>")
	for i := range apiv2.MaxFields + 1 {
		b.WriteString("<f" + strings.Repeat("x", i%7) + "_" + itoa(i) + ">1</f" + strings.Repeat("x", i%7) + "_" + itoa(i) + ">")
	}
	b.WriteString("</xml>")
	if _, err := apiv2.Decode([]byte(b.String())); !errors.Is(err, apiv2.ErrXML) {
		t.Errorf("Decode of %d fields: %v", apiv2.MaxFields+1, err)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

func TestUnsignedAnswers(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]bool{
		"mmpaymkttransfers/sendredpack":         true,
		"/mmpaymkttransfers/sendredpack":        true,
		"mmpaymkttransfers/promotion/transfers": true,
		"pay/downloadbill":                      true,
		"risk/getpublickey":                     true,
		"pay/micropay":                          false,
		"pay/orderquery":                        false,
		"secapi/pay/refund":                     false,
		"mmpaymkttransfers/sendredpack/":        false,
		"mmpaymkttransfers%2Fsendredpack":       false,
		"MMPAYMKTTRANSFERS/SENDREDPACK":         false,
	} {
		if got := apiv2.IsUnsignedAnswer(path); got != want {
			t.Errorf("IsUnsignedAnswer(%q) = %v, want %v", path, got, want)
		}
	}
}
