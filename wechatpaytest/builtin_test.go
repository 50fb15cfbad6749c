package wechatpaytest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBonusPrepare(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	const path = "v3/marketing/membercard-open/cards/478515832665/codes/478515832665/bonus/prepare"
	tests := []struct {
		name, body   string
		status       int
		code, detail string
	}{
		{"seed example", `{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109","sub_mchid":"1900000109","bonus_value":30}`, 204, "", ""},
		{"missing bonus_value", `{"out_trade_no":"1","mchid":"1230000109","sub_mchid":"1900000109"}`, 400, "PARAM_ERROR", "bonus_value"},
		{"missing sub_mchid", `{"out_trade_no":"1","mchid":"1230000109","bonus_value":30}`, 400, "PARAM_ERROR", "sub_mchid"},
		{"bonus_value a string", `{"out_trade_no":"1","mchid":"1230000109","sub_mchid":"1","bonus_value":"30"}`, 400, "PARAM_ERROR", "bonus_value"},
		{"not JSON", `out_trade_no=1`, 400, "PARAM_ERROR", ""},
	}
	for _, tc := range tests {
		a := call(t, s, "POST", path, []byte(tc.body))
		mustVerify(t, s, a)
		if a.status != tc.status || a.code() != tc.code {
			t.Errorf("%s: %d %s", tc.name, a.status, a.body)
		}
		if tc.status == 204 && len(a.body) != 0 {
			t.Errorf("%s: 204 with body %q", tc.name, a.body)
		}
		if tc.detail != "" {
			var e struct {
				Detail struct{ Field, Location string }
			}
			_ = json.Unmarshal(a.body, &e)
			if e.Detail.Field != tc.detail || e.Detail.Location != "body" {
				t.Errorf("%s: detail %s", tc.name, a.body)
			}
		}
	}
}

func TestNativeOrderLifecycle(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	queryPath := "v3/pay/transactions/out-trade-no/life-1?mchid=" + s.MchID()

	if a := call(t, s, "GET", queryPath, nil); a.status != 404 || a.code() != "ORDER_NOT_EXIST" {
		t.Fatalf("query before creation: %d %s", a.status, a.body)
	}
	order := nativeOrder(s, "life-1")
	order["attach"] = "自定义数据"
	created := call(t, s, "POST", RouteNativePrepay, mustJSON(t, order))
	if created.status != 200 {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	// Creating again with the same parameters answers the same code_url.
	if again := call(t, s, "POST", RouteNativePrepay, mustJSON(t, order)); string(again.body) != string(created.body) {
		t.Errorf("repeat create: %s, want %s", again.body, created.body)
	}
	changed := nativeOrder(s, "life-1")
	changed["amount"] = map[string]any{"total": 101}
	if a := call(t, s, "POST", RouteNativePrepay, mustJSON(t, changed)); a.status != 400 || a.code() != "INVALID_REQUEST" {
		t.Errorf("reuse with other parameters: %d %s", a.status, a.body)
	}

	var tx map[string]any
	a := call(t, s, "GET", queryPath, nil)
	mustVerify(t, s, a)
	if err := json.Unmarshal(a.body, &tx); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"appid": "wxd678efh567hg6787", "mchid": s.MchID(), "out_trade_no": "life-1", "trade_type": "NATIVE",
		"trade_state": "NOTPAY", "trade_state_desc": "订单未支付", "attach": "自定义数据",
		"amount": map[string]any{"total": 100.0, "currency": "CNY"}, "scene_info": map[string]any{"device_id": ""},
		"promotion_detail": []any{},
	}
	if diff := cmp.Diff(want, tx); diff != "" {
		t.Errorf("transaction (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		path string
		want string
	}{
		{"v3/pay/transactions/out-trade-no/life-1", "PARAM_ERROR"},
		{"v3/pay/transactions/out-trade-no/life-1?mchid=1900000000", "PARAM_ERROR"},
	} {
		if a := call(t, s, "GET", tc.path, nil); a.status != 400 || a.code() != tc.want {
			t.Errorf("GET %s: %d %s", tc.path, a.status, a.body)
		}
	}

	closeBody := []byte(`{"mchid":"` + s.MchID() + `"}`)
	if a := call(t, s, "POST", "v3/pay/transactions/out-trade-no/life-1/close", closeBody); a.status != 204 || len(a.body) != 0 {
		t.Fatalf("close: %d %s", a.status, a.body)
	}
	if a := call(t, s, "POST", "v3/pay/transactions/out-trade-no/nope/close", closeBody); a.status != 404 || a.code() != "ORDER_NOT_EXIST" {
		t.Errorf("close unknown: %d %s", a.status, a.body)
	}
	if a := call(t, s, "POST", "v3/pay/transactions/out-trade-no/life-1/close", []byte(`{"mchid":"1"}`)); a.status != 400 {
		t.Errorf("close with the wrong mchid: %d %s", a.status, a.body)
	}
	a = call(t, s, "GET", queryPath, nil)
	if !strings.Contains(string(a.body), `"trade_state":"CLOSED"`) {
		t.Errorf("after close: %s", a.body)
	}
	if a := call(t, s, "POST", RouteNativePrepay, mustJSON(t, order)); a.status != 400 || a.code() != "ORDER_CLOSED" {
		t.Errorf("create a closed order: %d %s", a.status, a.body)
	}
}

func TestNativeValidation(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tests := []struct {
		field string
		edit  func(m map[string]any)
	}{
		{"appid", func(m map[string]any) { delete(m, "appid") }},
		{"mchid", func(m map[string]any) { m["mchid"] = "1900000109" }},
		{"mchid", func(m map[string]any) { delete(m, "mchid") }},
		{"description", func(m map[string]any) { m["description"] = "" }},
		{"out_trade_no", func(m map[string]any) { m["out_trade_no"] = 12 }},
		{"notify_url", func(m map[string]any) { delete(m, "notify_url") }},
		{"amount.total", func(m map[string]any) { m["amount"] = map[string]any{"total": 0} }},
		{"amount.total", func(m map[string]any) { m["amount"] = map[string]any{"total": 1.5} }},
		{"amount.total", func(m map[string]any) { delete(m, "amount") }},
	}
	for _, tc := range tests {
		m := nativeOrder(s, "v-1")
		tc.edit(m)
		a := call(t, s, "POST", RouteNativePrepay, mustJSON(t, m))
		var e struct {
			Code   string
			Detail struct{ Field string }
		}
		_ = json.Unmarshal(a.body, &e)
		if a.status != 400 || e.Code != "PARAM_ERROR" || e.Detail.Field != tc.field {
			t.Errorf("bad %s: %d %s", tc.field, a.status, a.body)
		}
	}
}

func TestRefund(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	body := `{"out_trade_no":"1217752501201407033233368018","out_refund_no":"R-1","reason":"商品已售完",` +
		`"amount":{"refund":50,"total":100,"currency":"CNY"}}`
	a := call(t, s, "POST", RouteRefund, []byte(body))
	mustVerify(t, s, a)
	var r map[string]any
	if err := json.Unmarshal(a.body, &r); err != nil || a.status != 200 {
		t.Fatalf("%d %s %v", a.status, a.body, err)
	}
	amount, _ := r["amount"].(map[string]any)
	if r["status"] != "PROCESSING" || r["out_refund_no"] != "R-1" || r["refund_id"] == "" || amount["refund"] != 50.0 || amount["currency"] != "CNY" {
		t.Errorf("refund %s", a.body)
	}
	q := call(t, s, "GET", "v3/refund/domestic/refunds/R-1", nil)
	if q.status != 200 || string(q.body) != string(a.body) {
		t.Errorf("query refund: %d %s", q.status, q.body)
	}
	if q := call(t, s, "GET", "v3/refund/domestic/refunds/none", nil); q.status != 404 {
		t.Errorf("query unknown refund: %d", q.status)
	}
	for _, bad := range []string{
		`{"out_refund_no":"R-2","amount":{"refund":50,"total":100,"currency":"CNY"}}`,
		`{"out_trade_no":"1","out_refund_no":"R-2","amount":{"refund":150,"total":100,"currency":"CNY"}}`,
		`{"out_trade_no":"1","out_refund_no":"R-2","amount":{"refund":50,"total":100,"currency":"USD"}}`,
		`{"out_trade_no":"1","amount":{"refund":50,"total":100,"currency":"CNY"}}`,
	} {
		if a := call(t, s, "POST", RouteRefund, []byte(bad)); a.status != 400 || a.code() != "PARAM_ERROR" {
			t.Errorf("%s: %d %s", bad, a.status, a.body)
		}
	}
}

// multipartUpload builds a media upload body: meta JSON, then the file.
func multipartUpload(t *testing.T, meta, file []byte) (body []byte, contentType string) {
	t.Helper()
	return multipartBody(t, meta, "file", "transparent.gif", "image/gif", file)
}

// TestImageUpload uses the protocol document's known answer: the 1×1 GIF.
func TestImageUpload(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gif, err := base64.StdEncoding.DecodeString("R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==")
	if err != nil {
		t.Fatal(err)
	}
	meta := []byte(`{"filename":"transparent.gif","sha256":"bb229a48bee31f5d54ca12dc9bd960c63a671f0d4be86a054c1d324a44499d96"}`)
	body, ctype := multipartUpload(t, meta, gif)

	tests := []struct {
		name   string
		signed []byte
		status int
	}{
		{"signed over meta", meta, 200},
		{"signed over the whole multipart body", body, 401},
	}
	for _, tc := range tests {
		req := newRequest(t, s, "POST", RouteImageUpload, body)
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Authorization", credsFor(s).authorization("POST", req.URL.RequestURI(), tc.signed))
		a := send(t, req)
		mustVerify(t, s, a)
		if a.status != tc.status {
			t.Errorf("%s: %d %s", tc.name, a.status, a.body)
		}
		if tc.status == 200 && !strings.HasPrefix(string(a.body), `{"media_id":"MEDIA_`) {
			t.Errorf("%s: %s", tc.name, a.body)
		}
	}

	// A wrong digest is a parameter error.
	other := make([]byte, 8)
	_, _ = rand.Read(other)
	body, ctype = multipartUpload(t, meta, other)
	req := newRequest(t, s, "POST", RouteImageUpload, body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", credsFor(s).authorization("POST", req.URL.RequestURI(), meta))
	if a := send(t, req); a.status != 400 || !strings.Contains(a.message(), "sha256") {
		t.Errorf("wrong digest: %d %s", a.status, a.body)
	}

	// No meta part: the signature cannot be checked.
	req = newRequest(t, s, "POST", RouteImageUpload, []byte("--x--\r\n"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.Header.Set("Authorization", credsFor(s).authorization("POST", req.URL.RequestURI(), nil))
	if a := send(t, req); a.status != http.StatusUnauthorized || !strings.Contains(a.message(), `no such part "meta"`) {
		t.Errorf("no meta part: %d %s", a.status, a.body)
	}
}

func FuzzSignedRequestBody(f *testing.F) {
	f.Add("multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\n{}\r\n--x--\r\n"))
	f.Add("multipart/form-data; boundary=x", []byte("--x--\r\n"))
	f.Add("application/json", []byte(`{"a":1}`))
	f.Add("multipart/form-data", []byte("--x"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		got, err := signedRequestBody(contentType, body)
		if err != nil {
			return
		}
		if !bytes.Contains(body, got) {
			t.Fatalf("signed bytes %q are not part of the body", got)
		}
	})
}
