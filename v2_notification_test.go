package wechatpay_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/signer"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

func TestV2PaymentNotification(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	for _, signType := range []string{"MD5", "HMAC-SHA256"} {
		req, err := srv.NewPaymentNotifyRequest(context.Background(), "http://merchant/notify", map[string]string{"out_trade_no": "N1", "total_fee": "100"}, signType)
		if err != nil {
			t.Fatal(err)
		}
		n, err := client.ParseV2Notification(req)
		if err != nil {
			t.Fatalf("%s: %v", signType, err)
		}
		if n.IsRefund() || n.Get("out_trade_no").String() != "N1" || n.Get("total_fee").Int() != 100 {
			t.Errorf("%s: notification %s", signType, n.Body())
		}
	}
}

func TestV2NotificationRejections(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	signed := func(fields map[string]string) string {
		req, err := srv.NewPaymentNotifyRequest(context.Background(), "http://m/", fields, "")
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(req.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	good := signed(map[string]string{"out_trade_no": "N1"})
	tests := []struct {
		name string
		body string
		want error
	}{
		{"tampered", strings.Replace(good, "N1", "N2", 1), wechatpay.ErrVerification},
		{"empty sign", "<xml><return_code>SUCCESS</return_code><mch_id>" + srv.MchID() + "</mch_id><out_trade_no>N1</out_trade_no><sign></sign></xml>", wechatpay.ErrVerification},
		{"no sign", "<xml><return_code>SUCCESS</return_code><out_trade_no>N1</out_trade_no></xml>", wechatpay.ErrVerification},
		{"other merchant", strings.Replace(good, srv.MchID(), "1900000109", 1), wechatpay.ErrVerification},
		{"bad req_info", "<xml><return_code>SUCCESS</return_code><req_info>AAAAAAAAAAAAAAAAAAAAAA==</req_info></xml>", signer.ErrDecryption},
	}
	for _, tt := range tests {
		_, err := client.ParseV2NotificationBytes([]byte(tt.body))
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestV2RefundNotification(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	req, err := srv.NewRefundNotifyRequest(context.Background(), "http://m/", map[string]string{
		"out_refund_no": "RF1", "refund_status": "SUCCESS", "refund_fee": "1", "success_time": "2026-12-01 10:00:00"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := client.ParseV2Notification(req)
	if err != nil {
		t.Fatal(err)
	}
	if !n.IsRefund() || n.Get("out_refund_no").String() != "RF1" || n.Get("refund_status").String() != "SUCCESS" || n.Get("return_code").String() != "SUCCESS" {
		t.Errorf("refund notification: info %v fields %v", n.Info(), n.Fields())
	}
	if strings.Contains(string(n.Body()), "RF1") {
		t.Error("the refund details travelled in clear")
	}
}

func TestV2NotificationHandler(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	var seen []string
	h := client.V2NotificationHandler(func(_ context.Context, n *wechatpay.V2Notification) error {
		seen = append(seen, n.Get("out_trade_no").String())
		if n.Get("out_trade_no").String() == "FAILME" {
			return errors.New("database down")
		}
		if n.Get("out_trade_no").String() == "PANIC" {
			panic("boom")
		}
		return nil
	})
	notify := func(outTradeNo string) *http.Request {
		req, err := srv.NewPaymentNotifyRequest(context.Background(), "http://m/", map[string]string{"out_trade_no": outTradeNo}, "")
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	tampered := notify("N1")
	tampered.Body = http.NoBody
	get := httptest.NewRequest(http.MethodGet, "/", nil)
	huge := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("<xml>"+strings.Repeat(" ", 1<<20)+"</xml>"))
	forged := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("<xml><return_code>SUCCESS</return_code><out_trade_no>EVIL</out_trade_no><sign></sign></xml>"))
	tests := []struct {
		name   string
		req    *http.Request
		status int
		code   string
	}{
		{"good", notify("N1"), 200, "SUCCESS"},
		{"fn error", notify("FAILME"), 500, "FAIL"},
		{"fn panic", notify("PANIC"), 500, "FAIL"},
		{"forged empty sign", forged, 401, "FAIL"},
		{"empty body", tampered, 400, "FAIL"},
		{"GET", get, 405, "FAIL"},
		{"too large", huge, 413, "FAIL"},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, tt.req)
		body := rec.Body.String()
		if rec.Code != tt.status || !strings.HasPrefix(body, "<xml><return_code>"+tt.code+"</return_code><return_msg>") {
			t.Errorf("%s: %d %s, want %d %s", tt.name, rec.Code, body, tt.status, tt.code)
		}
		if strings.Contains(body, srv.APIv2Key()) {
			t.Errorf("%s: the answer carries the secret", tt.name)
		}
	}
	if strings.Join(seen, ",") != "N1,FAILME,PANIC" {
		t.Errorf("fn saw %v; the forged notification must not reach it", seen)
	}
}

func TestV2RefundNotificationOverHTTP(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	got := make(chan string, 1)
	merchant := httptest.NewServer(client.V2NotificationHandler(func(_ context.Context, n *wechatpay.V2Notification) error {
		got <- n.Get("out_refund_no").String()
		return nil
	}))
	defer merchant.Close()
	req, err := srv.NewRefundNotifyRequest(context.Background(), merchant.URL, map[string]string{"out_refund_no": "RF9", "refund_status": "SUCCESS"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Notify(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<return_code>SUCCESS</return_code>") {
		t.Errorf("answer %d %s", resp.StatusCode, body)
	}
	if n := <-got; n != "RF9" {
		t.Errorf("handler saw %q", n)
	}
}

func FuzzParseV2NotificationBytes(f *testing.F) {
	srv := wechatpaytest.NewV2Server(wechatpaytest.V2Config{})
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		f.Fatal(err)
	}
	for _, fields := range []map[string]string{{"out_trade_no": "N1"}, {"total_fee": "1", "sign_type": "HMAC-SHA256"}} {
		req, _ := srv.NewPaymentNotifyRequest(context.Background(), "http://m/", fields, fields["sign_type"])
		b, _ := io.ReadAll(req.Body)
		f.Add(b)
	}
	req, _ := srv.NewRefundNotifyRequest(context.Background(), "http://m/", map[string]string{"out_refund_no": "R"})
	b, _ := io.ReadAll(req.Body)
	f.Add(b)
	f.Fuzz(func(t *testing.T, body []byte) {
		n, err := client.ParseV2NotificationBytes(body)
		if err == nil && !n.IsRefund() && n.Get("sign").String() == "" {
			t.Fatalf("accepted an unsigned payment notification: %s", body)
		}
	})
}
