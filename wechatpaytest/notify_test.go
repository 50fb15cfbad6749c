package wechatpaytest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNotify(t *testing.T) {
	t.Parallel()
	clock := &fixedClock{t: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)}
	s := newServer(t, WithClock(clock.now))

	type received struct {
		header http.Header
		body   []byte
	}
	got := make(chan received, 1)
	merchant := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- received{r.Header.Clone(), b}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer merchant.Close()

	tests := []struct {
		event, wantType, wantSummary string
		resource                     any
		wantPlain                    string
	}{
		{"TRANSACTION.SUCCESS", "transaction", "支付成功",
			map[string]any{"out_trade_no": "1217752501201407033233368018", "trade_state": "SUCCESS", "amount": map[string]any{"total": 100}},
			`{"amount":{"total":100},"out_trade_no":"1217752501201407033233368018","trade_state":"SUCCESS"}`},
		{"REFUND.SUCCESS", "refund", "退款成功", json.RawMessage(`{"refund_status":"SUCCESS","a":"<&>"}`),
			`{"refund_status":"SUCCESS","a":"<&>"}`},
		{"MCHTRANSFER.BILL.FINISHED", "mchtransfer", "MCHTRANSFER.BILL.FINISHED", []byte("raw bytes"), "raw bytes"},
	}
	for _, tc := range tests {
		resp, err := s.Notify(context.Background(), merchant.URL+"/notify", tc.event, tc.resource)
		if err != nil {
			t.Fatalf("%s: %v", tc.event, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Errorf("%s: merchant answered %d", tc.event, resp.StatusCode)
		}
		r := <-got
		if err := verifyAnswer(r.header, r.body, s.PlatformSerial(), s.PlatformKey(), s.now()); err != nil {
			t.Fatalf("%s: callback signature: %v", tc.event, err)
		}
		if st := r.header.Get(HeaderSignatureType); st != AuthScheme {
			t.Errorf("%s: Wechatpay-Signature-Type %q", tc.event, st)
		}
		var raw map[string]any
		if err := json.Unmarshal(r.body, &raw); err != nil {
			t.Fatal(err)
		}
		res := raw["resource"].(map[string]any)
		gotMeta := map[string]any{
			"id_len": len(raw["id"].(string)), "create_time": raw["create_time"], "resource_type": raw["resource_type"],
			"event_type": raw["event_type"], "summary": raw["summary"], "algorithm": res["algorithm"],
			"nonce_len": len(res["nonce"].(string)), "associated_data": res["associated_data"], "original_type": res["original_type"],
		}
		wantMeta := map[string]any{
			"id_len": 36, "create_time": "2024-05-06T15:08:09+08:00", "resource_type": "encrypt-resource",
			"event_type": tc.event, "summary": tc.wantSummary, "algorithm": "AEAD_AES_256_GCM",
			"nonce_len": 12, "associated_data": tc.wantType, "original_type": tc.wantType,
		}
		if diff := cmp.Diff(wantMeta, gotMeta); diff != "" {
			t.Errorf("%s: callback fields (-want +got):\n%s", tc.event, diff)
		}
		plain, err := Decrypt(s.APIv3Key(), res["nonce"].(string), res["associated_data"].(string), res["ciphertext"].(string))
		if err != nil {
			t.Fatalf("%s: %v", tc.event, err)
		}
		if string(plain) != tc.wantPlain {
			t.Errorf("%s: resource %s, want %s", tc.event, plain, tc.wantPlain)
		}
	}
}

func TestNotifyErrors(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	if _, err := s.Notify(context.Background(), "http://127.0.0.1:1/none", "TRANSACTION.SUCCESS", map[string]any{}); err == nil {
		t.Error("posting to a closed port succeeded")
	}
	if _, err := s.Notify(context.Background(), "http://x/", "TRANSACTION.SUCCESS", func() {}); err == nil {
		t.Error("an unencodable resource was sent")
	}
	if _, err := s.NewNotifyRequest(context.Background(), "::bad url", "TRANSACTION.SUCCESS", 1); err == nil {
		t.Error("a bad URL built a request")
	}
}
