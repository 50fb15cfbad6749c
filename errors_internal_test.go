package wechatpay

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzAPIError feeds arbitrary error bodies to newAPIError: it must never
// panic, keep the body verbatim, and give a message with one wechatpay:
// prefix at its start.
func FuzzAPIError(f *testing.F) {
	f.Add([]byte(`{"code":"SIGN_ERROR","message":"m","detail":{"sign_information":{"method":"POST","url":"/v3/x","sign_message_length":90,"truncated_sign_message":"POST\n/v3/x\n"}}}`))
	f.Add([]byte(`{"code":"PARAM_ERROR","detail":[1,2]}`))
	f.Add([]byte(`{"detail":{"sign_information":"x"}}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e := newAPIError(&preparedRequest{method: "POST", path: "v3/x", tmpl: "v3/x"}, 401, http.Header{}, body)
		if string(e.Body) != string(body) {
			t.Fatal("body changed")
		}
		e.recordSigned([]byte("POST\n/v3/x\n1\nn\n\n"))
		if msg := e.Error(); !strings.HasPrefix(msg, "wechatpay: POST v3/x: HTTP 401") {
			t.Fatalf("message %q", msg)
		}
	})
}
