package wechatpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// An APIv2 micropay, a query and a refund over mutual TLS, against the
// in-process APIv2 server.
func Example_apiv2() {
	srv := wechatpaytest.NewV2Server(wechatpaytest.V2Config{})
	defer srv.Close()
	client, err := srv.Client() // MchID, APIv2Key, ClientCertificate, a transport trusting srv
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()

	resp, err := client.Chain("v2/pay/micropay").Post(ctx, wechatpay.Options{"xml": wechatpay.M{
		"appid": "wxd678efh567hg6787", "mch_id": srv.MchID(), "body": "image", "out_trade_no": "1217752501201407033233368018",
		"total_fee": 1, "spbill_create_ip": "127.0.0.1", "auth_code": "120061098828009406"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Get("result_code").String(), resp.Get("trade_type").String(), resp.Get("total_fee").Int())

	_, err = client.Chain("v2/pay/orderquery").Post(ctx, wechatpay.Options{"xml": wechatpay.M{"out_trade_no": "unknown"}})
	var apiErr *wechatpay.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.Message)
	}

	refund, err := client.Chain("v2/secapi/pay/refund").Post(ctx, wechatpay.Options{"security": true, "xml": wechatpay.M{
		"appid": "wxd678efh567hg6787", "out_trade_no": "1217752501201407033233368018", "out_refund_no": "R1",
		"total_fee": 1, "refund_fee": 1}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(refund.Get("refund_fee").String())
	// Output:
	// SUCCESS MICROPAY 1
	// ORDERNOTEXIST no such order
	// 1
}
