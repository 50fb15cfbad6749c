package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// journey is the day-1 merchant journey the demo runs after the seed
// example, against the same in-process server.
type journey struct {
	srv        *wechatpaytest.Server
	client     *wechatpay.Client
	outTradeNo string
	refundNo   string
	total      int64
	endpoint   *merchantEndpoint // the merchant's notify URL (journey_callbacks.go)
}

// journeyStep is one line of the journey's output.
type journeyStep struct {
	name string
	run  func(j *journey, ctx context.Context) (string, error)
}

// journeySteps are the steps in order.
var journeySteps = []journeyStep{
	{"Native order", (*journey).nativeOrder},
	{"payment callback", (*journey).paymentCallback},
	{"order query", (*journey).queryOrder},
	{"refund", (*journey).refund},
	{"refund callback", (*journey).refundCallback},
	{"trade bill", (*journey).tradeBill},
}

// runJourney runs every step, one line each, and reports whether all
// succeeded.
func runJourney(ctx context.Context, w io.Writer, srv *wechatpaytest.Server, client *wechatpay.Client) bool {
	j := &journey{
		srv:        srv,
		client:     client,
		outTradeNo: "DEMO" + time.Now().Format("20060102150405"),
		total:      100,
	}
	j.refundNo = j.outTradeNo + "R1"
	j.endpoint = startMerchantEndpoint(client)
	defer j.endpoint.close()
	fmt.Fprintf(w, "\nThe day-1 merchant journey, against the same server:\n")
	ok := true
	for i, st := range journeySteps {
		line, err := st.run(j, ctx)
		if err != nil {
			fmt.Fprintf(w, "  [%d/%d] %-17s FAILED: %v\n", i+1, len(journeySteps), st.name, err)
			ok = false
			break
		}
		fmt.Fprintf(w, "  [%d/%d] %-17s %s\n", i+1, len(journeySteps), st.name, line)
	}
	return ok
}

// nativeOrder creates the order and answers its code_url.
func (j *journey) nativeOrder(ctx context.Context) (string, error) {
	resp, err := j.client.Chain("v3/pay/transactions/native").Post(ctx, wechatpay.Options{"json": wechatpay.M{
		"appid":        "wxd678efh567hg6787",
		"mchid":        j.srv.MchID(),
		"description":  "Image形象店-深圳腾大-QQ公仔",
		"out_trade_no": j.outTradeNo,
		"notify_url":   "https://www.weixin.qq.com/wxpay/pay.php",
		"amount":       wechatpay.M{"total": j.total, "currency": "CNY"},
	}})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("POST v3/pay/transactions/native -> code_url %s (out_trade_no %s)", resp.Get("code_url"), j.outTradeNo), nil
}

// queryOrder reads the order back: paid, as the callback said.
func (j *journey) queryOrder(ctx context.Context) (string, error) {
	resp, err := j.client.Chain("v3/pay/transactions/out-trade-no/{out_trade_no}").Get(ctx, wechatpay.Options{
		"out_trade_no": j.outTradeNo,
		"query":        wechatpay.M{"mchid": j.srv.MchID()},
	})
	if err != nil {
		return "", err
	}
	if state := resp.Get("trade_state").String(); state != "SUCCESS" {
		return "", fmt.Errorf("trade_state %s, want SUCCESS", state)
	}
	return fmt.Sprintf("GET v3/pay/transactions/out-trade-no/%s -> trade_state SUCCESS, transaction_id %s",
		j.outTradeNo, resp.Get("transaction_id")), nil
}

// refund refunds the whole order.
func (j *journey) refund(ctx context.Context) (string, error) {
	resp, err := j.client.Chain("v3/refund/domestic/refunds").Post(ctx, wechatpay.Options{"json": wechatpay.M{
		"out_trade_no":  j.outTradeNo,
		"out_refund_no": j.refundNo,
		"reason":        "demo",
		"amount":        wechatpay.M{"refund": j.total, "total": j.total, "currency": "CNY"},
	}})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("POST v3/refund/domestic/refunds -> %s, refund_id %s", resp.Get("status"), resp.Get("refund_id")), nil
}

// tradeBill applies for yesterday's trade bill (gzip) and downloads it
// with its hash checked.
func (j *journey) tradeBill(ctx context.Context) (string, error) {
	date := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	bill, err := j.client.Chain("v3/bill/tradebill").Get(ctx, wechatpay.Options{
		"query": wechatpay.M{"bill_date": date, "bill_type": "ALL", "tar_type": "GZIP"},
	})
	if err != nil {
		return "", err
	}
	var file bytes.Buffer
	n, err := j.client.DownloadBill(ctx, bill, &file)
	if err != nil {
		return "", err
	}
	rows := strings.Count(file.String(), "\r\n") - 3 // header, summary header, summary
	if !strings.Contains(file.String(), "`"+j.outTradeNo+",") {
		return "", fmt.Errorf("the bill does not list order %s", j.outTradeNo)
	}
	return fmt.Sprintf("GET v3/bill/tradebill?bill_date=%s&tar_type=GZIP -> %d bytes after gunzip, SHA-1 %s ok, %d order row(s)",
		date, n, bill.Get("hash_value"), rows), nil
}
