package apiv2_test

import (
	"errors"
	"testing"

	"github.com/wechatpay-chain/wechatpay/apiv2"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// officialFields and officialKey are the example of the official APIv2
// sign documentation (protocol.md).
var officialFields = map[string]string{
	"appid":       "wxd930ea5d5a258f4f",
	"mch_id":      "10000100",
	"device_info": "1000",
	"body":        "test",
	"nonce_str":   "ibuaiVcKdpRxkhJA",
}

const officialKey = "192006250b4c09247ec02edce69f6a2d"

func TestSignKnownAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		signType, want string
	}{
		{apiv2.SignTypeMD5, "9A0A8659F005D6984697E2CA0A9CF3B7"},
		{apiv2.SignTypeHMACSHA256, "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"},
	}
	for _, tt := range tests {
		got, err := apiv2.Sign(officialFields, officialKey, tt.signType)
		if err != nil {
			t.Fatalf("Sign(%s): %v", tt.signType, err)
		}
		if got != tt.want {
			t.Errorf("Sign(%s) = %s, want %s", tt.signType, got, tt.want)
		}
		with := clone(officialFields)
		with["sign"] = tt.want
		if err := apiv2.Verify(with, officialKey); err != nil {
			t.Errorf("Verify(official %s sign): %v", tt.signType, err)
		}
	}
}

func TestSignSkipsSignAndEmptyValues(t *testing.T) {
	t.Parallel()
	with := clone(officialFields)
	with["sign"] = "ANYTHING"
	with["attach"] = ""
	got, err := apiv2.Sign(with, officialKey, apiv2.SignTypeMD5)
	if err != nil || got != "9A0A8659F005D6984697E2CA0A9CF3B7" {
		t.Errorf("Sign with sign and an empty field = %s, %v; want the official MD5", got, err)
	}
	if _, err := apiv2.Sign(officialFields, officialKey, "SHA1"); err == nil {
		t.Error("Sign with an unknown type: no error")
	}
}

func TestVerifyRules(t *testing.T) {
	t.Parallel()
	md5Sign := "9A0A8659F005D6984697E2CA0A9CF3B7"
	tests := []struct {
		name     string
		edit     func(m map[string]string)
		wantRule string // "" means valid
	}{
		{"official MD5", func(m map[string]string) { m["sign"] = md5Sign }, ""},
		{"lower-case hex accepted", func(m map[string]string) { m["sign"] = "9a0a8659f005d6984697e2ca0a9cf3b7" }, ""},
		{"missing sign", func(map[string]string) {}, apiv2.RuleMissingSign},
		{"empty sign", func(m map[string]string) { m["sign"] = "" }, apiv2.RuleMissingSign},
		{"odd length", func(m map[string]string) { m["sign"] = md5Sign[:31] }, apiv2.RuleSignFormat},
		{"one character changed", func(m map[string]string) { m["sign"] = "8" + md5Sign[1:] }, signer.RuleBadSignature},
		{"tampered field", func(m map[string]string) { m["sign"], m["body"] = md5Sign, "tesT" }, signer.RuleBadSignature},
		{"added field", func(m map[string]string) { m["sign"], m["total_fee"] = md5Sign, "1" }, signer.RuleBadSignature},
		{"MD5 length but HMAC value", func(m map[string]string) {
			m["sign"] = "6A9AE1657590FD6257D693A078E1C3E4"
		}, signer.RuleBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := clone(officialFields)
			tt.edit(m)
			err := apiv2.Verify(m, officialKey)
			if tt.wantRule == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			ve, ok := errors.AsType[*signer.VerificationError](err)
			if !ok || !errors.Is(err, signer.ErrVerification) {
				t.Fatalf("Verify = %v, want a *signer.VerificationError", err)
			}
			if ve.Rule != tt.wantRule {
				t.Errorf("rule %q, want %q", ve.Rule, tt.wantRule)
			}
		})
	}
	if err := apiv2.Verify(map[string]string{"a": "b", "sign": md5Sign}, "wrong"); !errors.Is(err, signer.ErrVerification) {
		t.Errorf("Verify with the wrong secret: %v", err)
	}
}

func TestSignTypeOf(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "MD5", "MD5": "MD5", "HMAC-SHA256": "HMAC-SHA256"} {
		got, err := apiv2.SignTypeOf(map[string]string{"sign_type": in})
		if err != nil || got != want {
			t.Errorf("SignTypeOf(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := apiv2.SignTypeOf(map[string]string{"sign_type": "md5"}); err == nil {
		t.Error("SignTypeOf(md5): no error")
	}
}

func clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestCheckSignType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path, signType string
		ok             bool
	}{
		{"pay/micropay", "", true},
		{"pay/micropay", "HMAC-SHA256", true},
		{"pay/downloadfundflow", "HMAC-SHA256", true},
		{"pay/downloadfundflow", "", false},
		{"secapi/pay/profitsharing", "MD5", false},
		{"papay/h5entrustweb", "HMAC-SHA256", true},
		{"mmpaymkttransfers/promotion/transfers", "", true},
		{"mmpaymkttransfers/promotion/transfers", "MD5", false},
		{"risk/getpublickey", "HMAC-SHA256", false},
		{"mmpaymkttransfers/sendredpack", "MD5", true},
		{"mmpaymkttransfers/sendredpack", "HMAC-SHA256", false},
		{"sandboxnew/pay/micropay", "", true},
		{"sandboxnew/pay/micropay", "HMAC-SHA256", false},
	}
	for _, tt := range tests {
		if err := apiv2.CheckSignType(tt.path, tt.signType); (err == nil) != tt.ok {
			t.Errorf("CheckSignType(%q, %q) = %v, want ok=%v", tt.path, tt.signType, err, tt.ok)
		}
	}
}
