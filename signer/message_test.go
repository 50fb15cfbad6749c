package signer_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wechatpay-chain/wechatpay/signer"
)

func TestRequestMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		method, target string
		ts             int64
		nonce          string
		body           []byte
		want           string
	}{
		{"post json", "POST", "/v3/pay/transactions/jsapi", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", []byte(`{"a":1}`),
			"POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{\"a\":1}\n"},
		{"get with query, nil body", "GET", "/v3/certificates?algorithm_type=RSA", 1, "n", nil,
			"GET\n/v3/certificates?algorithm_type=RSA\n1\nn\n\n"},
		{"empty body ends in two newlines", "DELETE", "/x", 0, "abc", []byte{},
			"DELETE\n/x\n0\nabc\n\n"},
		{"body with its own newline", "PUT", "/y", 42, "z", []byte("a\nb\n"),
			"PUT\n/y\n42\nz\na\nb\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := string(signer.RequestMessage(tt.method, tt.target, tt.ts, tt.nonce, tt.body))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("RequestMessage mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResponseMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ts, nonce string
		body      []byte
		want      string
	}{
		{"1554209980", "c5ac7061fccab6bf3e254dcf98995b8c", []byte(`{"data":[]}`), "1554209980\nc5ac7061fccab6bf3e254dcf98995b8c\n{\"data\":[]}\n"},
		{"1", "n", nil, "1\nn\n\n"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, string(signer.ResponseMessage(tt.ts, tt.nonce, tt.body))); diff != "" {
			t.Errorf("ResponseMessage(%q, %q) mismatch (-want +got):\n%s", tt.ts, tt.nonce, diff)
		}
	}
	if got, want := string(signer.StatementMessageBody("da39a3ee5e6b4b0d3255bfef95601890afd80709")), `{"sha1":"da39a3ee5e6b4b0d3255bfef95601890afd80709"}`; got != want {
		t.Errorf("StatementMessageBody = %q, want %q", got, want)
	}
}
