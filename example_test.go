package wechatpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// exampleClient starts an in-process WeChat Pay server and a client for it.
func exampleClient() (*wechatpaytest.Server, *wechatpay.Client) {
	srv := wechatpaytest.NewServer()
	client, err := srv.Client()
	if err != nil {
		panic(err)
	}
	return srv, client
}

func Example() {
	srv, client := exampleClient()
	defer srv.Close()

	resp, err := client.Chain("v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare").
		Post(context.Background(), wechatpay.Options{
			"card_id": "478515832665",
			"code":    "478515832665",
			"json": wechatpay.M{
				"out_trade_no": "1217752501201407033233368018",
				"mchid":        "1230000109",
				"sub_mchid":    "1900000109",
				"bonus_value":  30,
			},
		})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(resp.StatusCode() == 204)
	// Output: true
}

func ExampleClient_Chain() {
	srv, client := exampleClient()
	defer srv.Close()

	// Segment names (no '/') are normalised.
	fmt.Println(client.Chain("v3", "marketing", "membercardOpen", "cards", "_card_id_", "codes", "_code_", "bonus", "prepare").Path())
	fmt.Println(client.Chain("v3").Chain("merchantService", "complaintsV2", "_complaint_id_").Path())
	// A path (it holds '/') is a template taken verbatim: literal ids and
	// tokens go out byte for byte.
	fmt.Println(client.Chain("v3/pay/transactions/out-trade-no/ORDER20261201A").Path())
	fmt.Println(client.Chain("v3/billdownload/file?token=6XIv5TUP_x_Y").Path())
	// Output:
	// v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare
	// v3/merchant-service/complaints-v2/{complaint_id}
	// v3/pay/transactions/out-trade-no/ORDER20261201A
	// v3/billdownload/file?token=6XIv5TUP_x_Y
}

func ExampleChain_PostAsync() {
	srv, client := exampleClient()
	defer srv.Close()
	ctx := context.Background()

	fut := client.Chain("v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare").
		PostAsync(ctx, wechatpay.Options{
			"card_id": "478515832665",
			"code":    "478515832665",
			"json":    wechatpay.M{"out_trade_no": "1217752501201407033233368018", "mchid": "1230000109", "sub_mchid": "1900000109", "bonus_value": 30},
		})
	resp, err := fut.Wait(ctx)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(resp.StatusCode())
	// Output: 204
}

func ExampleAPIError() {
	srv, client := exampleClient()
	defer srv.Close()

	_, err := client.Chain("v3/pay/transactions/out-trade-no/{out_trade_no}").Get(context.Background(), wechatpay.Options{
		"out_trade_no": "no-such-order",
		"query":        map[string]string{"mchid": srv.MchID()},
	})
	var apiErr *wechatpay.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}
	// Output: 404 ORDER_NOT_EXIST
}

func ExampleOptions_strict() {
	srv, client := exampleClient()
	defer srv.Close()

	_, err := client.Chain("v3/pay/transactions/id/{transaction_id}").Get(context.Background(), wechatpay.Options{
		"transaction_id": "../../v2/pay",
	})
	fmt.Println(errors.Is(err, wechatpay.ErrTemplate), len(srv.Requests()))

	// An empty or undefined value would address the collection
	// ("…/id/") instead of the item: refused too.
	var unset *string
	for _, id := range []any{"", unset, []string{}} {
		_, err = client.Chain("v3/pay/transactions/id/{transaction_id}").Get(context.Background(), wechatpay.Options{
			"transaction_id": id,
		})
		fmt.Println(errors.Is(err, wechatpay.ErrTemplate), len(srv.Requests()))
	}

	_, err = client.Chain("v3/pay/transactions/native").Post(context.Background(), wechatpay.Options{
		"josn": wechatpay.M{"appid": "wxd678efh567hg6787"},
	})
	fmt.Println(err)
	// Output:
	// true 0
	// true 0
	// true 0
	// true 0
	// wechatpay: template error: chain "v3/pay/transactions/native": unknown option "josn": neither a template variable nor a reserved key (json, body, query, headers, retry, upload, xml, security, nonceless)
}
