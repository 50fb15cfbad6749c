package wechatpaytest

import (
	"bytes"
	"crypto/tls"
	"io"
	"net/http"
	"strings"
	"testing"
)

// post sends body to path with hc and returns the parsed answer.
func v2Post(t *testing.T, hc *http.Client, s *V2Server, path string, body []byte) map[string]string {
	t.Helper()
	resp, err := hc.Post(s.URL+path, "text/xml", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	f, err := v2Parse(raw)
	if err != nil {
		t.Fatalf("answer %s: %v", raw, err)
	}
	return f
}

func TestV2SignKnownAnswers(t *testing.T) {
	t.Parallel()
	f := map[string]string{"appid": "wxd930ea5d5a258f4f", "mch_id": "10000100", "device_info": "1000", "body": "test", "nonce_str": "ibuaiVcKdpRxkhJA"}
	for signType, want := range map[string]string{
		"MD5":         "9A0A8659F005D6984697E2CA0A9CF3B7",
		"HMAC-SHA256": "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6",
	} {
		if got, err := v2Sign(f, "192006250b4c09247ec02edce69f6a2d", signType); err != nil || got != want {
			t.Errorf("v2Sign %s = %s, %v; want %s", signType, got, err, want)
		}
	}
	if got := ecbEncrypt([]byte("0123456789abcdef0123456789abcdef"), []byte("hello")); got != "pZwJZBLuy3mDACEQT4YTBw==" {
		t.Errorf("ECB known answer: %s", got)
	}
}

func TestV2ServerChecksRequests(t *testing.T) {
	t.Parallel()
	s := NewV2Server(V2Config{})
	defer s.Close()
	plain := &http.Client{Transport: s.Transport()}
	defer plain.CloseIdleConnections()
	signed := func(f map[string]string, signType string) []byte {
		sign, err := v2Sign(f, s.APIv2Key(), signType)
		if err != nil {
			t.Fatal(err)
		}
		f["sign"] = sign
		return v2Marshal(f)
	}
	query := func() map[string]string {
		return map[string]string{"mch_id": s.MchID(), "nonce_str": "n1", "out_trade_no": "none"}
	}
	tests := []struct {
		name, path string
		body       []byte
		wantReturn string // return_code
		wantMsg    string // prefix of return_msg or err_code
	}{
		{"good MD5", "pay/orderquery", signed(query(), "MD5"), "SUCCESS", "ORDERNOTEXIST"},
		{"good HMAC", "pay/orderquery", signed(func() map[string]string { f := query(); f["sign_type"] = "HMAC-SHA256"; return f }(), "HMAC-SHA256"), "SUCCESS", "ORDERNOTEXIST"},
		{"bad sign", "pay/orderquery", bytes.Replace(signed(query(), "MD5"), []byte("none"), []byte("nonf"), 1), "FAIL", "SIGNERROR"},
		{"no sign", "pay/orderquery", v2Marshal(query()), "FAIL", "SIGNERROR"},
		{"other merchant", "pay/orderquery", signed(func() map[string]string { f := query(); f["mch_id"] = "1"; return f }(), "MD5"), "FAIL", "MCHID_NOT_EXIST"},
		{"no nonce", "pay/orderquery", signed(func() map[string]string { f := query(); delete(f, "nonce_str"); return f }(), "MD5"), "FAIL", "PARAM_ERROR"},
		{"DTD", "pay/orderquery", []byte(`<!DOCTYPE xml><xml/>`), "FAIL", "XML_FORMAT_ERROR"},
		{"refund without certificate", "secapi/pay/refund", signed(query(), "MD5"), "FAIL", "CERT_REQUIRED"},
	}
	for _, tt := range tests {
		f := v2Post(t, plain, s, tt.path, tt.body)
		got := f["return_msg"]
		if f["return_code"] == "SUCCESS" {
			got = f["err_code"]
			if err := v2CheckSign(f, s.APIv2Key()); err != nil {
				t.Errorf("%s: answer not signed: %v", tt.name, err)
			}
		} else if f["sign"] != "" {
			t.Errorf("%s: a FAIL answer carries a sign", tt.name)
		}
		if f["return_code"] != tt.wantReturn || !strings.HasPrefix(got, tt.wantMsg) {
			t.Errorf("%s: %v, want %s %s", tt.name, f, tt.wantReturn, tt.wantMsg)
		}
	}

	// With the merchant certificate the refund endpoint is reached.
	tr := s.Transport()
	tr.TLSClientConfig.Certificates = []tls.Certificate{s.ClientCertificate()}
	mutual := &http.Client{Transport: tr}
	defer mutual.CloseIdleConnections()
	f := v2Post(t, mutual, s, "secapi/pay/refund", signed(query(), "MD5"))
	if f["return_code"] != "SUCCESS" || f["err_code"] != "PARAM_ERROR" {
		t.Errorf("refund with the certificate: %v", f)
	}
}
