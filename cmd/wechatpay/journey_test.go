package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestDemoJourney: after the seed example, the demo runs every journey
// step, one line each, in order, and each line shows its evidence.
func TestDemoJourney(t *testing.T) {
	t.Parallel()
	r := runCLI(t, nil, "demo")
	if r.code != exitOK {
		t.Fatalf("demo exited %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	seed := strings.Index(r.stdout, "6 of 6 styles succeeded.")
	rest := r.stdout[seed+1:]
	if seed < 0 || strings.Contains(rest, "FAILED") {
		t.Fatalf("seed first, then the journey without failures:\n%s", r.stdout)
	}
	last := 0
	for i, st := range journeySteps {
		prefix := fmt.Sprintf("  [%d/%d] %-17s ", i+1, len(journeySteps), st.name)
		at := strings.Index(rest, prefix)
		if at < last {
			t.Errorf("step %q missing or out of order:\n%s", st.name, rest)
			continue
		}
		last = at
	}
	for _, want := range []string{
		`Native order +POST v3/pay/transactions/native -> code_url weixin://wxpay/bizpayurl\?pr=\w+`,
		`payment callback +TRANSACTION.SUCCESS -> NotificationHandler verified and decrypted it \(out_trade_no DEMO\d+, trade_state SUCCESS, amount.total 100\), answered 204 No Content`,
		`refund callback +REFUND.SUCCESS -> NotificationHandler verified and decrypted it \(out_refund_no DEMO\d+R1, refund_status SUCCESS, amount.refund 100\), answered 204 No Content`,
		`order query +GET v3/pay/transactions/out-trade-no/DEMO\d+ -> trade_state SUCCESS, transaction_id 4200000\d{21}`,
		`refund +POST v3/refund/domestic/refunds -> PROCESSING`,
		`trade bill +GET v3/bill/tradebill\?bill_date=\d{4}-\d\d-\d\d&tar_type=GZIP -> \d+ bytes after gunzip, SHA-1 [0-9a-f]{40} ok, 1 order row`,
	} {
		if !regexp.MustCompile(want).MatchString(rest) {
			t.Errorf("journey output lacks %s:\n%s", want, rest)
		}
	}
}
