package wechatpay_test

import (
	"context"
	"errors"
	"testing"

	"github.com/wechatpay-chain/wechatpay"
)

// TestBadHeaderNeverReachesTheWire checks, end to end, that a header
// net/http would refuse stops the call before signing: no attempt reaches
// the server (before, the request was signed, refused by net/http and, with
// a retry policy, signed and refused again on every attempt).
func TestBadHeaderNeverReachesTheWire(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	for _, h := range []map[string]string{
		{"X-Trace": "a\r\nX-Injected: 1"},
		{"X-Trace": "a\x00"},
		{"Bad Name": "1"},
		{"Host": "other.example"},
	} {
		_, err := client.Chain("v3/pay/transactions/out-trade-no/{out_trade_no}").Get(context.Background(), wechatpay.Options{
			"out_trade_no": "1217752501201407033233368018",
			"query":        map[string]string{"mchid": "1230000109"},
			"headers":      h,
		})
		if !errors.Is(err, wechatpay.ErrTemplate) {
			t.Errorf("headers %q: err = %v, want ErrTemplate", h, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server, want 0", n)
	}
}
