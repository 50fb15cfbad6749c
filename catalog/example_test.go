package catalog_test

import (
	"errors"
	"fmt"

	"github.com/wechatpay-chain/wechatpay/catalog"
)

func ExampleLookup() {
	e, ok := catalog.Lookup("POST", "v3/marketing/membercard-open/cards/478515832665/codes/478515832665/bonus/prepare")
	fmt.Println(ok, e.Path)
	fmt.Println(e.Title, e.Placeholders, e.ResponseKind)
	for _, f := range e.Request {
		if f.Parent == "json" {
			fmt.Println(" ", f.Name, f.Type, f.Required)
		}
	}
	// Output:
	// true v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare
	// 支付结果页展示会员积分 [card_id code] no_content
	//   out_trade_no string true
	//   mchid string true
	//   sub_mchid string true
	//   bonus_value integer true
}

func ExampleValidate() {
	err := catalog.Validate("POST", "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare",
		[]byte(`{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109","sub_mchid":"1900000109","bonus_valu":30}`))
	var ve *catalog.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p)
		}
	}
	fmt.Println(errors.Is(err, catalog.ErrInvalid))
	// Output:
	// bonus_valu: unknown field; did you mean bonus_value?
	// bonus_value: required field missing (integer)
	// true
}

func ExampleSearch() {
	for _, e := range catalog.Search("native transactions")[:2] {
		fmt.Println(e.Method, e.Path, e.Title)
	}
	// Output:
	// POST v3/pay/transactions/native Native下单
	// POST v3/global/transactions/native Native支付下单
}

func ExampleLookupWebhook() {
	h, _ := catalog.LookupWebhook("TRANSACTION.SUCCESS")
	fmt.Println(h.Page, h.EncryptedField, h.Encryption)
	// Output:
	// v3/TRANSACTION.SUCCESS ciphertext by-aes-gcm
}
