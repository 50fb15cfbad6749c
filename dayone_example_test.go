package wechatpay_test

// The Example functions in this file are the code of the day-1 guides in
// docs/ (orders, query, close, refund, bills, upload), run against the
// in-process server. TestGuidePagesMatchExamples fails when a Go block of
// a guide is not found here verbatim (modulo indentation).

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/signer"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// guidePages are the guides whose Go blocks this file holds.
var guidePages = []string{
	"docs/orders.md", "docs/query.md", "docs/close.md", "docs/refund.md", "docs/bills.md", "docs/upload.md",
}

// createOrder is the orders guide's Native order, for the other guides.
func createOrder(client *wechatpay.Client, outTradeNo string) {
	_, err := client.Chain("v3/pay/transactions/native").Post(context.Background(), wechatpay.Options{"json": wechatpay.M{
		"appid": "wxd678efh567hg6787", "mchid": "1230000109", "description": "Image形象店-深圳腾大-QQ公仔",
		"out_trade_no": outTradeNo, "notify_url": "https://www.weixin.qq.com/wxpay/pay.php",
		"amount": wechatpay.M{"total": 100, "currency": "CNY"},
	}})
	if err != nil {
		panic(err)
	}
}

// Example_nativeOrder is the orders guide's Native order.
func Example_nativeOrder() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()

	ctx := context.Background()
	resp, err := client.Chain("v3/pay/transactions/native").Post(ctx, wechatpay.Options{
		"json": wechatpay.M{
			"appid":        "wxd678efh567hg6787",
			"mchid":        "1230000109",
			"description":  "Image形象店-深圳腾大-QQ公仔",
			"out_trade_no": "1217752501201407033233368018",
			"notify_url":   "https://www.weixin.qq.com/wxpay/pay.php",
			"amount":       wechatpay.M{"total": 100, "currency": "CNY"},
		},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	codeURL := resp.Get("code_url").String() // show it as a QR code to the payer
	fmt.Println(strings.HasPrefix(codeURL, "weixin://wxpay/bizpayurl?pr="))
	// Output: true
}

// Example_jsapiOrder is the orders guide's JSAPI order and the parameters
// of wx.requestPayment.
func Example_jsapiOrder() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()
	merchantKey := srv.MerchantKey()
	merchantSerial := srv.MerchantSerial()

	ctx := context.Background()
	resp, err := client.Chain("v3/pay/transactions/jsapi").Post(ctx, wechatpay.Options{
		"json": wechatpay.M{
			"appid":        "wxd678efh567hg6787",
			"mchid":        "1230000109",
			"description":  "Image形象店-深圳腾大-QQ公仔",
			"out_trade_no": "1217752501201407033233368018",
			"notify_url":   "https://www.weixin.qq.com/wxpay/pay.php",
			"amount":       wechatpay.M{"total": 100, "currency": "CNY"},
			"payer":        wechatpay.M{"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
		},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	prepayID := resp.Get("prepay_id").String()

	// wx.requestPayment needs these, signed with the merchant key over
	// appId\ntimeStamp\nnonceStr\npackage\n.
	sgn, err := signer.NewSigner("1230000109", merchantSerial, merchantKey)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	nonce, _ := signer.Nonce()
	pay := map[string]string{
		"appId":     "wxd678efh567hg6787",
		"timeStamp": strconv.FormatInt(time.Now().Unix(), 10),
		"nonceStr":  nonce,
		"package":   "prepay_id=" + prepayID,
		"signType":  "RSA",
	}
	pay["paySign"], err = sgn.Sign([]byte(pay["appId"] + "\n" + pay["timeStamp"] + "\n" + pay["nonceStr"] + "\n" + pay["package"] + "\n"))
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(strings.HasPrefix(pay["package"], "prepay_id=wx"), len(pay["paySign"]) > 0)
	// Output: true true
}

// Example_queryOrder is the query guide.
func Example_queryOrder() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()
	createOrder(client, "1217752501201407033233368018")

	ctx := context.Background()
	resp, err := client.Chain("v3/pay/transactions/out-trade-no/{out_trade_no}").Get(ctx, wechatpay.Options{
		"out_trade_no": "1217752501201407033233368018",
		"query":        wechatpay.M{"mchid": "1230000109"},
	})
	var apiErr *wechatpay.APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.Code == "ORDER_NOT_EXIST":
		fmt.Println("no such order")
	case err != nil:
		fmt.Println("error:", err)
	default:
		fmt.Println(resp.Get("trade_state").String(), resp.Get("amount.total").Int())
	}
	// Output: NOTPAY 100
}

// Example_closeOrder is the close guide.
func Example_closeOrder() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()
	createOrder(client, "1217752501201407033233368018")

	ctx := context.Background()
	resp, err := client.Chain("v3/pay/transactions/out-trade-no/{out_trade_no}/close").Post(ctx, wechatpay.Options{
		"out_trade_no": "1217752501201407033233368018",
		"json":         wechatpay.M{"mchid": "1230000109"},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(resp.StatusCode()) // 204 No Content: closed, nothing to read
	// Output: 204
}

// Example_refund is the refund guide: a refund, then its query.
func Example_refund() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()
	createOrder(client, "1217752501201407033233368018")

	ctx := context.Background()
	resp, err := client.Chain("v3/refund/domestic/refunds").Post(ctx, wechatpay.Options{
		"json": wechatpay.M{
			"out_trade_no":  "1217752501201407033233368018",
			"out_refund_no": "1217752501201407033233368019",
			"reason":        "商品已售完",
			"amount":        wechatpay.M{"refund": 100, "total": 100, "currency": "CNY"},
		},
		"retry": true, // out_refund_no makes a repeated refund the same refund
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(resp.Get("status").String())

	resp, err = client.Chain("v3/refund/domestic/refunds/{out_refund_no}").Get(ctx, wechatpay.Options{
		"out_refund_no": "1217752501201407033233368019",
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(resp.Get("amount.refund").Int())
	// Output:
	// PROCESSING
	// 100
}

// ExampleClient_DownloadBill is the bills guide: apply for the bill, download it,
// hash checked.
func ExampleClient_DownloadBill() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()
	dir, _ := os.MkdirTemp("", "bills")
	defer os.RemoveAll(dir)
	path := dir + "/tradebill-2026-11-30.csv"

	ctx := context.Background()
	bill, err := client.Chain("v3/bill/tradebill").Get(ctx, wechatpay.Options{
		"query": wechatpay.M{"bill_date": "2026-11-30", "bill_type": "ALL", "tar_type": "GZIP"},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	n, err := client.DownloadBill(ctx, bill, f) // gunzips, checks hash_value over the plain bill
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, wechatpay.ErrChecksum) {
		os.Remove(path) // damaged or incomplete: do not import it
	}
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(n > 0)
	// Output: true
}

// ExampleClient_Download is the bills guide's lower-level Download.
func ExampleClient_Download() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()
	ctx := context.Background()
	bill, _ := client.Chain("v3/bill/fundflowbill").Get(ctx, wechatpay.Options{
		"query": wechatpay.M{"bill_date": "2026-11-30", "account_type": "BASIC"},
	})
	downloadURL := bill.Get("download_url").String()
	hashValue := bill.Get("hash_value").String()

	var file bytes.Buffer
	n, err := client.Download(ctx, downloadURL, &file,
		wechatpay.WithHash("SHA1", hashValue),
		wechatpay.WithProgress(func(written, total int64) {
			// total is the Content-Length, or -1 (unknown, e.g. with WithGunzip)
		}))
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(n == int64(file.Len()), strings.HasPrefix(file.String(), "记账时间"))
	// Output: true true
}

// ExampleUpload is the upload guide.
func ExampleUpload() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()
	gif, _ := base64.StdEncoding.DecodeString("R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==")
	logo := bytes.NewReader(gif) // an *os.File works too; it is closed after reading

	ctx := context.Background()
	resp, err := client.Chain("v3/merchant-service/images/upload").Post(ctx, wechatpay.Options{
		"upload": wechatpay.Upload{Filename: "transparent.gif", Content: logo},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	mediaID := resp.Get("media_id").String()
	fmt.Println(mediaID)
	// Output: MEDIA_bb229a48bee31f5d54ca12dc
}

// ExampleUpload_customMeta is the upload guide's endpoint with its own
// meta field names and file part.
func ExampleUpload_customMeta() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()
	gif, _ := base64.StdEncoding.DecodeString("R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==")
	licence := bytes.NewReader(gif)
	digest := "bb229a48bee31f5d54ca12dc9bd960c63a671f0d4be86a054c1d324a44499d96" // hex SHA-256 of the file

	ctx := context.Background()
	resp, err := client.Chain("v3/mch-manage/submission-files/sub-mchid/{sub_mchid}/upload").Post(ctx, wechatpay.Options{
		"sub_mchid": "1900000109",
		"upload": wechatpay.Upload{
			Filename: "licence.gif",
			Content:  licence,
			Meta:     wechatpay.M{"file_name": "licence.gif", "file_digest": digest, "item_id": 3},
			Field:    "submission_file",
		},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(resp.Get("media_id").Exists())
	// Output: true
}

// TestGuidePagesMatchExamples checks that every Go block of the day-1
// guides appears in this file, line for line, ignoring indentation.
func TestGuidePagesMatchExamples(t *testing.T) {
	t.Parallel()
	self, err := os.ReadFile("dayone_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	haystack := "\n" + strings.Join(normalize(string(self)), "\n") + "\n"
	for _, page := range guidePages {
		md, err := os.ReadFile(page)
		if err != nil {
			t.Error(err)
			continue
		}
		blocks := goBlocks(md)
		if len(blocks) == 0 {
			t.Errorf("%s has no Go block", page)
		}
		for i, b := range blocks {
			lines := normalize(b)
			if len(lines) < 3 {
				t.Errorf("%s block %d is too short to be an example:\n%s", page, i+1, b)
			}
			if !strings.Contains(haystack, "\n"+strings.Join(lines, "\n")+"\n") {
				t.Errorf("%s block %d is not in dayone_example_test.go:\n%s", page, i+1, b)
			}
		}
	}
}
