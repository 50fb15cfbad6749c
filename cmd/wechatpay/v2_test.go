package main

import (
	"context"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

func TestV2Call(t *testing.T) {
	t.Parallel()
	srv := wechatpaytest.NewV2Server(wechatpaytest.V2Config{})
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	defer client.CloseIdleConnections()
	if _, err := client.Chain("v2/pay/micropay").Post(context.Background(), wechatpay.Options{"xml": wechatpay.M{
		"appid": "wx1", "body": "b", "out_trade_no": "CLI1", "total_fee": 5, "spbill_create_ip": "127.0.0.1", "auth_code": "134567890123456789"}}); err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM := srv.ClientCertificatePEM()
	env := map[string]string{
		"WECHATPAY_MCHID":       srv.MchID(),
		"WECHATPAY_APIV2_KEY":   srv.APIv2Key(),
		"WECHATPAY_BASE_URL":    srv.URL,
		"WECHATPAY_CA_CERT":     writeTemp(t, "ca.pem", srv.CACertificatePEM()),
		"WECHATPAY_CLIENT_CERT": writeTemp(t, "apiclient_cert.pem", certPEM),
		"WECHATPAY_CLIENT_KEY":  writeTemp(t, "apiclient_key.pem", keyPEM),
	}
	r := runCLI(t, env, "post", "v2/pay/orderquery", "--xml", "<xml><appid>wx1</appid><out_trade_no>CLI1</out_trade_no></xml>")
	if r.code != exitOK || !strings.Contains(r.stdout, "<trade_state>SUCCESS</trade_state>") {
		t.Fatalf("orderquery: exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, env, "post", "v2/pay/orderquery", "--xml", "<xml><out_trade_no>NOPE</out_trade_no></xml>")
	if r.code != exitAPI || !strings.Contains(r.stderr, "ORDERNOTEXIST") {
		t.Errorf("unknown order: exit %d, stderr %s", r.code, r.stderr)
	}
	refund := "<xml><appid>wx1</appid><out_trade_no>CLI1</out_trade_no><out_refund_no>RF</out_refund_no><total_fee>5</total_fee><refund_fee>5</refund_fee></xml>"
	r = runCLI(t, env, "post", "v2/secapi/pay/refund", "--security", "--xml", refund)
	if r.code != exitOK || !strings.Contains(r.stdout, "<refund_id>") {
		t.Errorf("refund with --security: exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, env, "post", "v2/pay/orderquery", "--xml", "<!DOCTYPE x><xml/>")
	if r.code != exitUsage {
		t.Errorf("--xml with a DTD: exit %d, stderr %s", r.code, r.stderr)
	}
}
