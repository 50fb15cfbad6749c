package main

import (
	"strings"
	"testing"
)

const seedCLIPath = "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"

func TestDescribe(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		code int
		want []string // substrings of stdout (exit 0) or stderr
	}{
		{[]string{"describe", "POST", seedCLIPath}, exitOK, []string{
			"POST " + seedCLIPath, "支付结果页展示会员积分 (APIv3)", "placeholders: card_id, code",
			"    bonus_value   integer  required", "Response: 204 No Content", "https://pay.weixin.qq.com/doc/v3/merchant/4012595808"}},
		{[]string{"describe", "v3/applyment4sub/applyment/"}, exitOK, []string{
			"contact_name", "encrypted by-rsa-pubkey with wechatpay-public-key (send wechatpay.Sensitive)"}},
		{[]string{"describe", "get", "v3/refund/domestic/refunds/R1"}, exitOK, []string{"GET v3/refund/domestic/refunds/{out_refund_no}", "FIELD"}},
		{[]string{"describe", "v3/transactions/native"}, exitOK, []string{"notice: redesigned"}},
		{[]string{"describe", "v3/pay/transaction/native"}, exitUsage, []string{"not in the endpoint catalog", "POST v3/pay/transactions/native"}},
		{[]string{"describe", "DELETE", "v3/pay/transactions/native"}, exitUsage, []string{"documents POST for this path"}},
		{[]string{"describe"}, exitUsage, []string{"want [METHOD] PATH"}},
		{[]string{"describe", "TRANSACTION.SUCCESS"}, exitOK, []string{"callback v3/TRANSACTION.SUCCESS (JSON, APIv3)", "encrypted by-aes-gcm", "Resource:", "  out_trade_no"}},
		{[]string{"describe", "-h"}, exitOK, []string{"Usage:\n  wechatpay describe [METHOD] PATH"}},
	} {
		r := runCLI(t, nil, tc.args...)
		out := r.stdout
		if tc.code != exitOK {
			out = r.stderr
		}
		if r.code != tc.code {
			t.Errorf("%q: exit %d, want %d; stderr %s", tc.args, r.code, tc.code, r.stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%q: output lacks %q:\n%s", tc.args, w, out)
			}
		}
	}
}

func TestEndpoints(t *testing.T) {
	t.Parallel()
	r := runCLI(t, nil, "endpoints", "native", "transactions")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "POST  v3/pay/transactions/native") || !strings.Contains(r.stdout, "[redesigned]") {
		t.Errorf("endpoints native transactions: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "endpoints", "-q", "会员积分")
	if r.code != exitOK || !strings.Contains(r.stdout, seedCLIPath+"\n") || strings.Contains(r.stdout, "POST") {
		t.Errorf("endpoints -q 会员积分: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "endpoints", "--api", "v2")
	if lines := strings.Count(r.stdout, "\n"); r.code != exitOK || lines != 129 {
		t.Errorf("endpoints --api v2: exit %d, %d lines", r.code, lines)
	}
	if r := runCLI(t, nil, "endpoints", "zzzqqqxxx"); r.code != exitUsage || !strings.Contains(r.stderr, "nothing in the catalog matches") {
		t.Errorf("no match: exit %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, nil, "endpoints", "--api", "v4"); r.code != exitUsage {
		t.Errorf("--api v4: exit %d", r.code)
	}
}

// TestCallValidates: post checks --json against the catalog before
// sending, --no-validate sends anyway, and an unknown PATH gets a note.
func TestCallValidates(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	env := serverEnv(t, srv)
	vars := []string{"-p", "card_id=478515832665", "-p", "code=478515832665"}
	typo := `{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109","sub_mchid":"1900000109","bonus_valu":30}`

	r := runCLI(t, env, append([]string{"post", seedCLIPath, "--json", typo}, vars...)...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "bonus_valu: unknown field; did you mean bonus_value?") ||
		!strings.Contains(r.stderr, "bonus_value: required field missing (integer)") || !strings.Contains(r.stderr, "--no-validate") {
		t.Fatalf("typo: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("the refused call reached the server (%d requests)", n)
	}

	r = runCLI(t, env, append([]string{"post", seedCLIPath, "--no-validate", "--json", typo}, vars...)...)
	if r.code != exitAPI || len(srv.Requests()) != 1 {
		t.Fatalf("--no-validate: exit %d (want the server's 400), %d requests; stderr:\n%s", r.code, len(srv.Requests()), r.stderr)
	}

	good := strings.Replace(typo, "bonus_valu", "bonus_value", 1)
	if r := runCLI(t, env, append([]string{"post", seedCLIPath, "--json", good}, vars...)...); r.code != exitOK {
		t.Fatalf("valid body: exit %d, stderr:\n%s", r.code, r.stderr)
	}

	r = runCLI(t, env, "get", "v3/pay/transaction/out-trade-no/X1", "-q", "mchid=1230000109")
	if !strings.Contains(r.stderr, "is not in the endpoint catalog") || !strings.Contains(r.stderr, "v3/pay/transactions/out-trade-no/{out_trade_no}") ||
		!strings.Contains(r.stderr, "sending it anyway") || r.code != exitAPI {
		t.Errorf("unknown path: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}
