package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// TestCallPathIsVerbatim checks that a PATH holding '/' goes on the wire
// byte for byte: a typed order number is not renamed into another order's
// (it was sent as "o-r-d-e-r20261201-a"), and a literal query token keeps
// its capitals and underscores.
func TestCallPathIsVerbatim(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	echo := func(r *wechatpaytest.Request) wechatpaytest.Reply {
		return wechatpaytest.JSON(http.StatusOK, wechatpaytest.M{"path": r.Path, "query": r.Query.Encode()})
	}
	srv.Handle(http.MethodGet, "v3/pay/transactions/out-trade-no/{out_trade_no}", echo)
	srv.Handle(http.MethodGet, "v3/billdownload/file", echo)
	env := serverEnv(t, srv)
	tests := []struct {
		args []string
		want []string // substrings of stdout
	}{
		{[]string{"get", "v3/pay/transactions/out-trade-no/ORDER20261201A", "-q", "mchid=1230000109"},
			[]string{`"path": "v3/pay/transactions/out-trade-no/ORDER20261201A"`, `"query": "mchid=1230000109"`}},
		{[]string{"get", "v3/billdownload/file?token=6XIv5TUPhyUC_x_Y"},
			[]string{`"path": "v3/billdownload/file"`, `"query": "token=6XIv5TUPhyUC_x_Y"`}},
	}
	for _, tt := range tests {
		r := runCLI(t, env, tt.args...)
		if r.code != exitOK {
			t.Errorf("%q: exit %d, stderr %s", tt.args, r.code, r.stderr)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%q: stdout lacks %s:\n%s", tt.args, w, r.stdout)
			}
		}
	}
}

// TestReservedKeysAreNotVariables checks that -p refuses every reserved
// option key of the library, from its one list.
func TestReservedKeysAreNotVariables(t *testing.T) {
	t.Parallel()
	for _, k := range wechatpay.ReservedOptionKeys() {
		_, _, err := parseCall("post", []string{"v3/a", "-p", k + "=1"})
		if err == nil || !strings.Contains(err.Error(), `"`+k+`" is a reserved option name`) {
			t.Errorf("-p %s=1: err = %v, want it refused as reserved", k, err)
		}
	}
}
