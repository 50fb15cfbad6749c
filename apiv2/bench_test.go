package apiv2_test

import (
	"testing"

	"github.com/wechatpay-chain/wechatpay/apiv2"
)

// answer is a typical orderquery answer (22 fields).
var answer = []byte(`<xml><appid><![CDATA[wx2421b1c4370ec43b]]></appid><attach><![CDATA[]]></attach><bank_type><![CDATA[CMC]]></bank_type><cash_fee>1</cash_fee><coupon_count>1</coupon_count><coupon_fee_0>0</coupon_fee_0><coupon_id_0>10000</coupon_id_0><coupon_type_0>CASH</coupon_type_0><fee_type><![CDATA[CNY]]></fee_type><is_subscribe><![CDATA[N]]></is_subscribe><mch_id><![CDATA[10000100]]></mch_id><nonce_str><![CDATA[b927722419c52622651a871d1d9ed8b2]]></nonce_str><openid><![CDATA[oUpF8uMuAJO_M2pxb1Q9zNjWeS6o]]></openid><out_trade_no><![CDATA[1415757673]]></out_trade_no><result_code><![CDATA[SUCCESS]]></result_code><return_code><![CDATA[SUCCESS]]></return_code><sign><![CDATA[8B2F2F5A8A4F3C8C34D2A1E2B1F0F4E1]]></sign><time_end><![CDATA[20141111170043]]></time_end><total_fee>1</total_fee><trade_state><![CDATA[SUCCESS]]></trade_state><trade_type><![CDATA[MICROPAY]]></trade_type><transaction_id><![CDATA[1008450740201411110005820873]]></transaction_id></xml>`)

func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(answer)))
	for b.Loop() {
		if _, err := apiv2.Decode(answer); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	fields, _ := apiv2.Decode(answer)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := apiv2.Encode(fields); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	fields, _ := apiv2.Decode(answer)
	for _, signType := range []string{apiv2.SignTypeMD5, apiv2.SignTypeHMACSHA256} {
		b.Run(signType, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := apiv2.Sign(fields, officialKey, signType); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
