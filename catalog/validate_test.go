package catalog_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay/catalog"
)

const seedPath = "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"

// ciphertext looks like RSA-OAEP output of a 2048-bit key.
var ciphertext = base64.StdEncoding.EncodeToString(make([]byte, 256))

func TestValidate(t *testing.T) {
	t.Parallel()
	type p = catalog.Problem
	for _, tc := range []struct {
		name, method, path, body string
		want                     []p
	}{
		{name: "seed", method: "POST", path: seedPath,
			body: `{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109","sub_mchid":"1900000109","bonus_value":30}`},
		{name: "seed by concrete path", method: "POST", path: "v3/marketing/membercard-open/cards/478515832665/codes/478515832665/bonus/prepare",
			body: `{"out_trade_no":"1","mchid":"1","sub_mchid":"1","bonus_value":30}`},
		{name: "typo", method: "POST", path: seedPath,
			body: `{"out_trade_no":"1","mchid":"1","sub_mchid":"1","bonus_valu":30}`,
			want: []p{
				{Field: "bonus_valu", Kind: catalog.Unknown, Issue: "unknown field; did you mean bonus_value?", Suggestion: "bonus_value"},
				{Field: "bonus_value", Kind: catalog.Missing, Issue: "required field missing (integer)"},
			}},
		{name: "missing and wrong type", method: "POST", path: seedPath,
			body: `{"out_trade_no":"1","mchid":1230000109,"bonus_value":"30"}`,
			want: []p{
				{Field: "bonus_value", Kind: catalog.WrongType, Issue: "wrong type: the catalog says integer, got string"},
				{Field: "mchid", Kind: catalog.WrongType, Issue: "wrong type: the catalog says string, got integer 1230000109"},
				{Field: "sub_mchid", Kind: catalog.Missing, Issue: "required field missing (string)"},
			}},
		{name: "fraction for an integer", method: "POST", path: seedPath,
			body: `{"out_trade_no":"1","mchid":"1","sub_mchid":"1","bonus_value":30.5}`,
			want: []p{{Field: "bonus_value", Kind: catalog.WrongType, Issue: "wrong type: the catalog says integer, got number 30.5"}}},
		{name: "null required", method: "POST", path: seedPath,
			body: `{"out_trade_no":"1","mchid":"1","sub_mchid":null,"bonus_value":1}`,
			want: []p{{Field: "sub_mchid", Kind: catalog.Missing, Issue: "required field missing (string)"}}},
		{name: "no body", method: "POST", path: seedPath,
			want: []p{{Kind: catalog.Missing, Issue: `a JSON body (option "json") is required with out_trade_no, mchid, sub_mchid, bonus_value`}}},
		{name: "not JSON", method: "POST", path: seedPath, body: `{"a":`,
			want: []p{{Kind: catalog.Malformed, Issue: "the body is not valid JSON: unexpected EOF"}}},
		{name: "array for the object body", method: "POST", path: seedPath, body: `[]`,
			want: []p{{Kind: catalog.WrongType, Issue: "wrong type: the catalog says object, got array"}}},
		{name: "nested", method: "POST", path: "v3/pay/transactions/native",
			body: `{"appid":"wx","mchid":"1","description":"d","out_trade_no":"o","notify_url":"https://x","amount":{"totl":1,"currency":"CNY"},"detail":{"goods_detail":[{"merchant_goods_id":"g","quantity":"2","unit_price":1}]}}`,
			want: []p{
				{Field: "amount.total", Kind: catalog.Missing, Issue: "required field missing (integer)"},
				{Field: "amount.totl", Kind: catalog.Unknown, Issue: "unknown field; did you mean total?", Suggestion: "total"},
				{Field: "detail.goods_detail[0].quantity", Kind: catalog.WrongType, Issue: "wrong type: the catalog says integer, got string"},
			}},
		{name: "field at the wrong level", method: "POST", path: "v3/pay/transactions/native",
			body: `{"appid":"wx","mchid":"1","description":"d","out_trade_no":"o","notify_url":"https://x","amount":{"total":1},"payer_client_ip":"1.2.3.4"}`,
			want: []p{{Field: "payer_client_ip", Kind: catalog.Unknown, Issue: "unknown field; did you mean scene_info.payer_client_ip?", Suggestion: "scene_info.payer_client_ip"}}},
		{name: "array of objects must be an array", method: "POST", path: "v3/pay/transactions/native",
			body: `{"appid":"wx","mchid":"1","description":"d","out_trade_no":"o","notify_url":"https://x","amount":{"total":1},"detail":{"goods_detail":{}}}`,
			want: []p{{Field: "detail.goods_detail", Kind: catalog.WrongType, Issue: "wrong type: the catalog says object[], got object"}}},
		{name: "optional null", method: "POST", path: "v3/pay/transactions/native",
			body: `{"appid":"wx","mchid":"1","description":"d","out_trade_no":"o","notify_url":"https://x","amount":{"total":1},"attach":null}`,
			want: []p{{Field: "attach", Kind: catalog.Null, Issue: "null: omit the field instead (WeChat Pay refuses null)"}}},
		{name: "unknown without a near name", method: "POST", path: "v3/pay/transactions/native",
			body: `{"appid":"wx","mchid":"1","description":"d","out_trade_no":"o","notify_url":"https://x","amount":{"total":1},"zzzzzzzz":1}`,
			want: []p{{Field: "zzzzzzzz", Kind: catalog.Unknown, Issue: "unknown field"}}},
		{name: "body where none is documented", method: "POST", path: "v3/eduschoolpay/contracts/{contract_id}/terminate", body: `{"x":1}`,
			want: []p{{Kind: catalog.Unknown, Issue: "the endpoint documents no JSON body"}}},
		{name: "GET without body", method: "GET", path: "v3/pay/transactions/out-trade-no/{out_trade_no}"},
		{name: "unknown endpoint is not checked", method: "POST", path: "v3/not/documented", body: `{"anything":1}`},
		{name: "APIv2 is not checked", method: "POST", path: "v2/pay/micropay", body: `<xml></xml>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var body []byte
			if tc.body != "" {
				body = []byte(tc.body)
			}
			err := catalog.Validate(tc.method, tc.path, body)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ve *catalog.ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, catalog.ErrInvalid) {
				t.Fatalf("Validate = %v, want a *ValidationError matching ErrInvalid", err)
			}
			if diff := cmp.Diff(tc.want, ve.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateMessage(t *testing.T) {
	t.Parallel()
	err := catalog.Validate("POST", seedPath, []byte(`{"out_trade_no":"1","mchid":"1","sub_mchid":"1","bonus_valu":30}`))
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		"catalog: POST " + seedPath + ": 2 problems: ",
		"bonus_valu: unknown field; did you mean bonus_value?",
		"bonus_value: required field missing (integer)",
		"endpoint catalog from wechatpay-im/website of 2026-08-22",
		"leave Config.Validator nil", "--no-validate",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "wechatpay:") {
		t.Errorf("the catalog's message carries a wechatpay: prefix (the client adds it): %s", msg)
	}
}

// TestValidateEncrypted: a field marked encrypted must be sent as
// ciphertext.
func TestValidateEncrypted(t *testing.T) {
	t.Parallel()
	const path = "v3/applyment4sub/applyment/"
	body := func(name string) []byte {
		return []byte(`{"business_code":"B","contact_info":{"contact_type":"LEGAL","contact_name":"` + name +
			`","mobile_phone":"` + ciphertext + `","contact_email":"` + ciphertext + `"}}`)
	}
	plain := problemsOf(t, catalog.Validate("POST", path, body("张三")))
	var found *catalog.Problem
	for i := range plain {
		if plain[i].Field == "contact_info.contact_name" {
			found = &plain[i]
		}
	}
	if found == nil || found.Kind != catalog.Plaintext || !strings.Contains(found.Issue, "wechatpay.Sensitive") {
		t.Errorf("plain contact_name not reported as plain text: %+v", plain)
	}
	for _, p := range problemsOf(t, catalog.Validate("POST", path, body(ciphertext))) {
		if p.Kind == catalog.Plaintext {
			t.Errorf("ciphertext reported as plain text: %+v", p)
		}
	}
}

// TestValidateEncoded: a by-json_encode string is checked as the JSON it
// holds.
func TestValidateEncoded(t *testing.T) {
	t.Parallel()
	// Find an optional top-level by-json_encode string with rows below it.
	var ep catalog.Endpoint
	var field string
	for _, e := range catalog.All() {
		for i, f := range e.Request {
			if field == "" && e.API == "v3" && f.Encoded == "by-json_encode" && f.Type == "string" && f.Parent == "json" &&
				!f.Required && i+1 < len(e.Request) && e.Request[i+1].Parent == f.Name {
				ep, field = e, f.Name
			}
		}
	}
	if field == "" {
		t.Fatal("no optional top-level by-json_encode field with children in the catalog")
	}
	probs := problemsOf(t, catalog.Validate(ep.Method, ep.Path, []byte(`{"`+field+`":"not json"}`)))
	found := false
	for _, pr := range probs {
		if pr.Field == field && pr.Kind == catalog.Malformed {
			found = true
		}
	}
	if !found {
		t.Errorf("%s %s: %s holding non-JSON not reported: %+v", ep.Method, ep.Path, field, probs)
	}
	for _, pr := range problemsOf(t, catalog.Validate(ep.Method, ep.Path, []byte(`{"`+field+`":"{\"zzzzzzzz\":1}"}`))) {
		if pr.Field == field+".zzzzzzzz" && pr.Kind == catalog.Unknown {
			return
		}
	}
	t.Errorf("%s %s: an unknown field inside the JSON of %s is not reported", ep.Method, ep.Path, field)
}

func problemsOf(t *testing.T, err error) []catalog.Problem {
	t.Helper()
	var ve *catalog.ValidationError
	if err == nil {
		return nil
	}
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *ValidationError", err)
	}
	return ve.Problems
}

func FuzzValidate(f *testing.F) {
	f.Add("POST", seedPath, []byte(`{"out_trade_no":"1","mchid":"1","sub_mchid":"1","bonus_value":30}`))
	f.Add("POST", "v3/pay/transactions/native", []byte(`{"amount":{"total":"x"},"detail":{"goods_detail":[1,{"a":null}]}}`))
	f.Add("POST", "v3/applyment4sub/applyment/", []byte(`{"contact_info":{"contact_name":"x"}}`))
	f.Fuzz(func(t *testing.T, method, path string, body []byte) {
		err := catalog.Validate(method, path, body)
		if err != nil && !errors.Is(err, catalog.ErrInvalid) {
			t.Fatalf("error %v does not match ErrInvalid", err)
		}
	})
}
