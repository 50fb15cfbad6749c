package wechatpaytest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// Example_catalog calls an endpoint that has no hand-written route: the
// server answers it from the endpoint catalog, after checking the required
// fields.
func Example_catalog() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	order := client.Chain("v3/pay/partner/transactions/native")

	resp, err := order.Post(ctx, wechatpay.Options{"json": wechatpay.M{
		"sp_appid": "wx8888888888888888", "sp_mchid": srv.MchID(), "sub_mchid": "1900000109",
		"description": "Image", "out_trade_no": "1217752501201407033233368018",
		"notify_url": "https://www.weixin.qq.com/wxpay/pay.php", "amount": wechatpay.M{"total": 100},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.StatusCode(), resp.Get("code_url"))

	_, err = order.Post(ctx, wechatpay.Options{"json": wechatpay.M{"sp_appid": "wx8888888888888888"}})
	var apiErr *wechatpay.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message)
	}
	// Output:
	// 200 mock_code_url
	// 400 PARAM_ERROR amount: required field missing (object)
}
