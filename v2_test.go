package wechatpay_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/apiv2"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// newV2 starts an APIv2 test server and a client for it.
func newV2(t testing.TB, tweak ...func(*wechatpay.Config)) (*wechatpaytest.V2Server, *wechatpay.Client) {
	t.Helper()
	srv := wechatpaytest.NewV2Server(wechatpaytest.V2Config{})
	t.Cleanup(srv.Close)
	client, err := srv.Client(tweak...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.CloseIdleConnections)
	return srv, client
}

func micropayFields(mchid, outTradeNo string) wechatpay.M {
	return wechatpay.M{
		"appid": "wxd678efh567hg6787", "mch_id": mchid, "body": "image <&> \"x\"",
		"out_trade_no": outTradeNo, "total_fee": 1, "spbill_create_ip": "127.0.0.1",
		"auth_code": "120061098828009406",
	}
}

func TestV2MicropayAndQuery(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	ctx := context.Background()
	resp, err := client.Chain("v2/pay/micropay").Post(ctx, wechatpay.Options{"xml": micropayFields(srv.MchID(), "T1")})
	if err != nil {
		t.Fatalf("micropay: %v", err)
	}
	if got := resp.Get("result_code").String(); got != "SUCCESS" {
		t.Errorf("result_code = %q", got)
	}
	if got := resp.Get("total_fee").Int(); got != 1 {
		t.Errorf("total_fee = %d", got)
	}
	if !strings.HasPrefix(string(resp.Body()), "<xml>") || !strings.Contains(string(resp.Body()), "<sign>") {
		t.Errorf("Body is not the raw signed XML: %s", resp.Body())
	}
	var decoded struct {
		TransactionID string `xml:"transaction_id"`
		OutTradeNo    string `xml:"out_trade_no"`
	}
	if err := resp.Decode(&decoded); err != nil || decoded.OutTradeNo != "T1" || decoded.TransactionID != resp.Get("transaction_id").String() {
		t.Errorf("Decode = %+v, %v", decoded, err)
	}

	// HMAC-SHA256 request; the server answers MD5: verification infers the type.
	q, err := client.Chain("v2", "pay", "orderquery").Post(ctx, wechatpay.Options{"xml": map[string]string{
		"appid": "wxd678efh567hg6787", "mch_id": srv.MchID(), "out_trade_no": "T1", "sign_type": "HMAC-SHA256",
	}})
	if err != nil {
		t.Fatalf("orderquery: %v", err)
	}
	got := map[string]string{}
	for _, k := range []string{"trade_state", "coupon_count", "coupon_type_0", "coupon_fee_0", "out_trade_no"} {
		got[k] = q.Get(k).String()
	}
	want := map[string]string{"trade_state": "SUCCESS", "coupon_count": "1", "coupon_type_0": "CASH", "coupon_fee_0": "0", "out_trade_no": "T1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("orderquery fields (-want +got):\n%s", diff)
	}
	if q.Get("no_such_field").Exists() {
		t.Error("a missing field Exists")
	}
}

func TestV2ResultFailIsAPIError(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	_, err := client.Chain("v2/pay/orderquery").Post(context.Background(), wechatpay.Options{"xml": wechatpay.M{
		"appid": "wx1", "mch_id": srv.MchID(), "out_trade_no": "NOPE"}})
	apiErr, ok := errors.AsType[*wechatpay.APIError](err)
	if !ok {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if apiErr.Code != "ORDERNOTEXIST" || apiErr.Message != "no such order" || apiErr.StatusCode != 200 {
		t.Errorf("APIError = %+v", apiErr)
	}
	if errors.Is(err, wechatpay.ErrVerification) {
		t.Error("a signed FAIL answer is not a verification failure")
	}
}

func TestV2ReturnCodeFailIsAPIError(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	srv.Handle("pay/orderquery", func(map[string]string) wechatpaytest.V2Reply {
		return wechatpaytest.V2Reply{Fields: map[string]string{"return_code": "FAIL", "return_msg": "系统繁忙"}}
	})
	_, err := client.Chain("v2/pay/orderquery").Post(context.Background(), wechatpay.Options{"xml": wechatpay.M{"out_trade_no": "x"}})
	apiErr, ok := errors.AsType[*wechatpay.APIError](err)
	if !ok || apiErr.Code != "FAIL" || apiErr.Message != "系统繁忙" {
		t.Fatalf("err = %v (%+v), want APIError FAIL 系统繁忙", err, apiErr)
	}
}

func TestV2AnswerSignRejected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		reply wechatpaytest.V2Reply
	}{
		{"tampered sign", wechatpaytest.V2Reply{Fields: map[string]string{"result_code": "SUCCESS"}, TamperSign: true}},
		{"missing sign", wechatpaytest.V2Reply{Fields: map[string]string{"result_code": "SUCCESS"}, Unsigned: true}},
		{"empty sign", wechatpaytest.V2Reply{Raw: []byte("<xml><return_code>SUCCESS</return_code><result_code>SUCCESS</result_code><sign></sign></xml>")}},
		{"tampered HMAC-SHA256 sign", wechatpaytest.V2Reply{Fields: map[string]string{"result_code": "SUCCESS"}, SignType: "HMAC-SHA256", TamperSign: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, client := newV2(t)
			srv.Handle("pay/orderquery", func(map[string]string) wechatpaytest.V2Reply { return tt.reply })
			resp, err := client.Chain("v2/pay/orderquery").Post(context.Background(), wechatpay.Options{"xml": wechatpay.M{"out_trade_no": "x"}})
			if !errors.Is(err, wechatpay.ErrVerification) {
				t.Fatalf("Post = %v, %v; want ErrVerification", resp, err)
			}
		})
	}
}

func TestV2UnsignedEndpointOverMutualTLS(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	opts := func(security bool) wechatpay.Options {
		return wechatpay.Options{"security": security, "xml": wechatpay.M{
			"mch_billno": "B1", "mch_id": srv.MchID(), "wxappid": "wx1", "send_name": "shop", "re_openid": "o1",
			"total_amount": 100, "total_num": 1, "wishing": "hi", "client_ip": "127.0.0.1", "act_name": "a", "remark": "r"}}
	}
	ch := client.Chain("v2/mmpaymkttransfers/sendredpack")
	resp, err := ch.Post(context.Background(), opts(true))
	if err != nil {
		t.Fatalf("sendredpack with the certificate: %v", err)
	}
	if resp.Get("send_listid").String() == "" || resp.Get("sign").Exists() {
		t.Errorf("answer: %s", resp.Body())
	}
	_, err = ch.Post(context.Background(), opts(false))
	if apiErr, ok := errors.AsType[*wechatpay.APIError](err); !ok || !strings.HasPrefix(apiErr.Message, "CERT_REQUIRED") {
		t.Errorf("sendredpack without the certificate: %v, want the server's refusal", err)
	}
}

func TestV2RefundNeedsCertificate(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	ctx := context.Background()
	if _, err := client.Chain("v2/pay/micropay").Post(ctx, wechatpay.Options{"xml": micropayFields(srv.MchID(), "R1")}); err != nil {
		t.Fatal(err)
	}
	refund := wechatpay.M{"appid": "wx1", "mch_id": srv.MchID(), "out_trade_no": "R1", "out_refund_no": "RF1", "total_fee": 1, "refund_fee": 1}
	resp, err := client.Chain("v2/secapi/pay/refund").Post(ctx, wechatpay.Options{"xml": refund, "security": true})
	if err != nil || resp.Get("refund_id").String() == "" {
		t.Fatalf("refund with the certificate: %v", err)
	}

	// A client of the same merchant without a certificate: refused by the server.
	noCert, err := srv.Client(func(c *wechatpay.Config) { c.ClientCertificate = nil })
	if err != nil {
		t.Fatal(err)
	}
	defer noCert.CloseIdleConnections()
	_, err = noCert.Chain("v2/secapi/pay/refund").Post(ctx, wechatpay.Options{"xml": refund})
	if apiErr, ok := errors.AsType[*wechatpay.APIError](err); !ok || !strings.HasPrefix(apiErr.Message, "CERT_REQUIRED") {
		t.Errorf("refund without a certificate: %v", err)
	}
	// And asking it for mutual TLS is an error before any I/O.
	_, err = noCert.Chain("v2/secapi/pay/refund").Post(ctx, wechatpay.Options{"xml": refund, "security": true})
	if !errors.Is(err, wechatpay.ErrTemplate) {
		t.Errorf("security without ClientCertificate: %v, want ErrTemplate", err)
	}
}

// Not parallel: it measures the process's allocations.
func TestV2BillionLaughsAnswer(t *testing.T) {
	srv, client := newV2(t)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a0 "lol">`)
	for i := 1; i <= 9; i++ {
		b.WriteString(`<!ENTITY a` + string(rune('0'+i)) + ` "` + strings.Repeat("&a"+string(rune('0'+i-1))+";", 10) + `">`)
	}
	b.WriteString(`]><xml><return_code>&a9;</return_code></xml>`)
	bomb := []byte(b.String())
	srv.Handle("pay/orderquery", func(map[string]string) wechatpaytest.V2Reply { return wechatpaytest.V2Reply{Raw: bomb} })

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := client.Chain("v2/pay/orderquery").Post(context.Background(), wechatpay.Options{"xml": wechatpay.M{"out_trade_no": "x"}})
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, wechatpay.ErrVerification) || !errors.Is(err, apiv2.ErrUnsafeXML) {
		t.Fatalf("billion laughs: %v, want ErrVerification wrapping apiv2.ErrUnsafeXML", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("refusing a %d-byte bomb allocated %d bytes", len(bomb), alloc)
	}
	if elapsed > 5*time.Second {
		t.Errorf("refusing the bomb took %v", elapsed)
	}
}

func TestV2OversizedAnswer(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	huge := []byte("<xml><return_code>SUCCESS</return_code><x>" + strings.Repeat("a", 9<<20) + "</x></xml>")
	srv.Handle("pay/orderquery", func(map[string]string) wechatpaytest.V2Reply { return wechatpaytest.V2Reply{Raw: huge} })
	_, err := client.Chain("v2/pay/orderquery").Post(context.Background(), wechatpay.Options{"xml": wechatpay.M{"out_trade_no": "x"}})
	if !errors.Is(err, wechatpay.ErrResponseTooLarge) {
		t.Fatalf("9 MiB answer: %v", err)
	}
}

func TestV2OptionsRefusedBeforeIO(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	mch := srv.MchID()
	tests := []struct {
		name string
		path string
		opts wechatpay.Options
	}{
		{"other mch_id", "v2/pay/orderquery", wechatpay.Options{"xml": wechatpay.M{"mch_id": "1900000109"}}},
		{"other mchid", "v2/pay/orderquery", wechatpay.Options{"xml": wechatpay.M{"mchid": "1900000109"}}},
		{"other combine_mch_id", "v2/pay/orderquery", wechatpay.Options{"xml": wechatpay.M{"combine_mch_id": "1"}}},
		{"sign given", "v2/pay/orderquery", wechatpay.Options{"xml": wechatpay.M{"mch_id": mch, "sign": "X"}}},
		{"bad sign_type", "v2/pay/orderquery", wechatpay.Options{"xml": wechatpay.M{"sign_type": "SHA1"}}},
		{"nested value", "v2/pay/orderquery", wechatpay.Options{"xml": wechatpay.M{"detail": wechatpay.M{"a": 1}}}},
		{"nil value", "v2/pay/orderquery", wechatpay.Options{"xml": wechatpay.M{"detail": nil}}},
		{"bad name", "v2/pay/orderquery", wechatpay.Options{"xml": map[string]string{"a b": "1"}}},
		{"xml wrong type", "v2/pay/orderquery", wechatpay.Options{"xml": "<xml/>"}},
		{"json on v2", "v2/pay/orderquery", wechatpay.Options{"json": wechatpay.M{}}},
		{"security not bool", "v2/pay/orderquery", wechatpay.Options{"security": "yes"}},
		{"xml on v3", "v3/pay/transactions/native", wechatpay.Options{"xml": wechatpay.M{}}},
		{"typo", "v2/pay/orderquery", wechatpay.Options{"xlm": wechatpay.M{}}},
		{"profit sharing without HMAC", "v2/secapi/pay/profitsharing", wechatpay.Options{"xml": wechatpay.M{"transaction_id": "1"}}},
		{"transfers with sign_type", "v2/mmpaymkttransfers/promotion/transfers", wechatpay.Options{"xml": wechatpay.M{"sign_type": "MD5"}}},
		{"red packet with HMAC", "v2/mmpaymkttransfers/sendredpack", wechatpay.Options{"xml": wechatpay.M{"sign_type": "HMAC-SHA256"}}},
		{"sandbox with HMAC", "v2/sandboxnew/pay/micropay", wechatpay.Options{"xml": wechatpay.M{"sign_type": "HMAC-SHA256"}}},
	}
	for _, tt := range tests {
		_, err := client.Chain(tt.path).Post(context.Background(), tt.opts)
		if !errors.Is(err, wechatpay.ErrTemplate) {
			t.Errorf("%s: %v, want ErrTemplate", tt.name, err)
		}
	}
}

func TestV2OnlyConfig(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	_, err := client.Chain("v3/pay/transactions/native").Post(context.Background(), wechatpay.Options{"json": wechatpay.M{}})
	if err == nil || !strings.Contains(err.Error(), "no APIv3 credentials") {
		t.Errorf("APIv3 call on a v2-only client: %v", err)
	}
	if _, err := wechatpay.NewClient(wechatpay.Config{MchID: srv.MchID()}); err == nil {
		t.Error("a config with neither APIv3 credentials nor APIv2Key is accepted")
	}
	if _, err := wechatpay.NewClient(wechatpay.Config{MchID: srv.MchID(), APIv2Key: "k", Serial: "S"}); err == nil {
		t.Error("a partial APIv3 config is accepted because APIv2Key is set")
	}
	if _, err := wechatpay.NewClient(wechatpay.Config{MchID: "1", APIv2Key: "k", ClientCertificate: &tlsCertEmpty}); err == nil {
		t.Error("an empty ClientCertificate is accepted")
	}
	if _, err := wechatpay.NewClient(wechatpay.Config{MchID: "1", APIv2Key: "k", ClientCertificate: ptr(srv.ClientCertificate()), Transport: roundTripFunc(nil)}); err == nil {
		t.Error("ClientCertificate with a non-*http.Transport base is accepted")
	}
}

func TestV3ClientRefusesV2(t *testing.T) {
	t.Parallel()
	v3 := newServer(t)
	client := newClient(t, v3, nil)
	_, err := client.Chain("v2/pay/orderquery").Post(context.Background(), wechatpay.Options{"xml": wechatpay.M{}})
	if err == nil || !strings.Contains(err.Error(), "no APIv2 secret") {
		t.Errorf("APIv2 call without APIv2Key: %v", err)
	}
	if n := len(v3.Requests()); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

func TestV2WireMiddlewareSeesSignedRequest(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	var nonces []string
	if err := client.Stack().After("verifier", "spy", func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			body, _ := r.GetBody()
			b := new(strings.Builder)
			_, _ = io.Copy(b, body)
			f, err := apiv2.Decode([]byte(b.String()))
			if err != nil {
				return nil, err
			}
			nonces = append(nonces, f["nonce_str"])
			return next.RoundTrip(r)
		})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Chain("v2/pay/orderquery").Post(context.Background(), wechatpay.Options{"xml": wechatpay.M{"out_trade_no": "NOPE"}}); err == nil {
		t.Fatal("want ORDERNOTEXIST")
	}
	if len(nonces) != 1 || len(nonces[0]) != 32 {
		t.Errorf("wire-level middleware saw nonces %q", nonces)
	}
	if _, err := client.Chain("v2/pay/orderquery").Post(context.Background(), wechatpay.Options{"nonceless": true, "xml": wechatpay.M{"out_trade_no": "NOPE"}}); err == nil {
		t.Fatal("want the server's refusal of a request without nonce_str")
	}
	if len(nonces) != 2 || nonces[1] != "" {
		t.Errorf("nonceless request carried nonce_str %q", nonces)
	}
	_ = srv
}

var tlsCertEmpty = tls.Certificate{}

func ptr[T any](v T) *T { return &v }

func TestV2RetriedAndLoggedThroughTheStack(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	srv, client := newV2(t, func(c *wechatpay.Config) {
		c.Retry = &wechatpay.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	var nonces []string
	if err := client.Stack().After("verifier", "flaky", func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			f, err := apiv2.Decode(b)
			if err != nil {
				return nil, err
			}
			nonces = append(nonces, f["nonce_str"])
			if len(nonces) == 1 {
				return &http.Response{StatusCode: 503, Header: http.Header{}, Body: http.NoBody, ContentLength: 0, Request: r}, nil
			}
			r2 := r.Clone(r.Context())
			r2.Body = io.NopCloser(bytes.NewReader(b))
			return next.RoundTrip(r2)
		})
	}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := client.Chain("v2/pay/micropay").Post(ctx, wechatpay.Options{"retry": true, "xml": micropayFields(srv.MchID(), "RETRY1")}); err != nil {
		t.Fatalf("retried micropay: %v", err)
	}
	if len(nonces) != 2 || nonces[0] == nonces[1] {
		t.Errorf("attempts saw nonces %q: want two attempts, each signed afresh", nonces)
	}
	if n := strings.Count(logs.String(), "target=/pay/micropay"); n != 2 {
		t.Errorf("%d log records for /pay/micropay, want 2:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), srv.APIv2Key()) || strings.Contains(logs.String(), "sign") {
		t.Errorf("the log carries the secret or the sign:\n%s", logs.String())
	}
}

func TestV2GetCarriesSignInQuery(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	var got map[string]string
	srv.Handle("papay/h5entrustweb", func(f map[string]string) wechatpaytest.V2Reply {
		got = f
		return wechatpaytest.V2Reply{Fields: map[string]string{"result_code": "SUCCESS", "redirect_url": "https://example.com/?a=1&b=2"}, Unsigned: true}
	})
	resp, err := client.Chain("v2/papay/h5entrustweb").Get(context.Background(), wechatpay.Options{"xml": wechatpay.M{
		"appid": "wx1", "mch_id": srv.MchID(), "plan_id": 12535, "contract_code": "C&1", "sign_type": "HMAC-SHA256", "version": "1.0", "timestamp": 1414488825}})
	if err != nil {
		t.Fatalf("GET with the sign in the query: %v", err)
	}
	if got["contract_code"] != "C&1" || len(got["sign"]) != 64 || resp.Get("redirect_url").String() != "https://example.com/?a=1&b=2" {
		t.Errorf("server saw %v; answer %s", got, resp.Body())
	}
}

func TestV2OuterMiddlewareEditsAreSigned(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	var seen string
	srv.Handle("pay/orderquery", func(f map[string]string) wechatpaytest.V2Reply {
		seen = f["out_trade_no"]
		return wechatpaytest.V2Reply{Fields: map[string]string{"result_code": "SUCCESS"}}
	})
	if err := client.Stack().Before("signer", "rewrite", func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r2 := r.Clone(r.Context())
			body := []byte("<xml><out_trade_no>EDITED</out_trade_no></xml>")
			r2.Body, r2.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			r2.GetBody = nil
			return next.RoundTrip(r2)
		})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Chain("v2/pay/orderquery").Post(context.Background(), wechatpay.Options{"xml": wechatpay.M{"out_trade_no": "ORIGINAL"}}); err != nil {
		t.Fatalf("the server refused the edited request: %v", err)
	}
	if seen != "EDITED" {
		t.Errorf("server saw out_trade_no %q, want the edit signed and sent", seen)
	}
}

func TestV2MutualTLSNeverMutatesTheConfiguredTransport(t *testing.T) {
	t.Parallel()
	srv := wechatpaytest.NewV2Server(wechatpaytest.V2Config{})
	defer srv.Close()
	base := srv.Transport()
	client, err := srv.Client(func(c *wechatpay.Config) { c.Transport = base })
	if err != nil {
		t.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	if _, err := client.Chain("v2/pay/micropay").Post(ctx, wechatpay.Options{"xml": micropayFields(srv.MchID(), "M1")}); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			_, err := client.Chain("v2/secapi/pay/refund").Post(ctx, wechatpay.Options{"security": true, "xml": wechatpay.M{
				"appid": "wx1", "out_trade_no": "M1", "out_refund_no": "RF" + strconv.Itoa(i), "total_fee": 1, "refund_fee": 1}})
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	// Plain calls keep going over the configured transport, without the certificate.
	if _, err := client.Chain("v2/secapi/pay/refund").Post(ctx, wechatpay.Options{"xml": wechatpay.M{
		"appid": "wx1", "out_trade_no": "M1", "out_refund_no": "RFX", "total_fee": 1, "refund_fee": 1}}); err == nil {
		t.Error("a call without \"security\" presented the certificate")
	}
	if n := len(base.TLSClientConfig.Certificates); n != 0 || base.TLSClientConfig.GetClientCertificate != nil {
		t.Errorf("the configured transport gained %d certificates", n)
	}
}

func TestV2DownloadBill(t *testing.T) {
	t.Parallel()
	srv, client := newV2(t)
	csv := []byte("交易时间,公众账号ID,商户号\n`2026-12-01 10:00:00,`wx1,`1230000109\n")
	var fail atomic.Bool
	srv.Handle("pay/downloadbill", func(map[string]string) wechatpaytest.V2Reply {
		if fail.Load() {
			return wechatpaytest.V2Reply{Fields: map[string]string{"return_code": "FAIL", "return_msg": "No Bill Exist", "error_code": "20002"}}
		}
		return wechatpaytest.V2Reply{Raw: csv}
	})
	ch := client.Chain("v2/pay/downloadbill")
	opts := wechatpay.Options{"xml": wechatpay.M{"appid": "wx1", "bill_date": "20261201", "bill_type": "ALL"}}
	resp, err := ch.Post(context.Background(), opts)
	if err != nil || !bytes.Equal(resp.Body(), csv) {
		t.Fatalf("bill: %v, %q", err, resp.Body())
	}
	fail.Store(true)
	_, err = ch.Post(context.Background(), opts)
	if apiErr, ok := errors.AsType[*wechatpay.APIError](err); !ok || apiErr.Message != "No Bill Exist" {
		t.Errorf("missing bill: %v", err)
	}
}
