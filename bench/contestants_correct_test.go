package bench

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// contestantSet is every contestant for one base URL.
type contestantSet struct {
	floor    *floor
	ours     *ours
	official *official
	close    func()
}

func newContestants(tb testing.TB, base string, maxConcurrent int) *contestantSet {
	tb.Helper()
	trA, trB, trC := newTransport(), newTransport(), newTransport()
	o, err := newOurs(base, trB, maxConcurrent)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := newOfficial(base, trC)
	if err != nil {
		tb.Fatal(err)
	}
	return &contestantSet{
		floor: newFloor(base, trA), ours: o, official: c,
		close: func() { trA.CloseIdleConnections(); trB.CloseIdleConnections(); trC.CloseIdleConnections() },
	}
}

// getter and poster name the calls for table tests.
type poster func(ctx context.Context, cardID, code string, payload any) error
type getter func(ctx context.Context, outTradeNo string) ([]byte, error)

// TestContestantsSucceedVerified checks that every contestant completes both
// calls with a verified answer, on the fast and on the slow server, and
// refuses an answer whose signature was broken: the benchmarks compare
// working, verifying clients.
func TestContestantsSucceedVerified(t *testing.T) {
	for _, base := range []string{srv.FastURL, srv.SlowURL} {
		cs := newContestants(t, base, 0)
		t.Cleanup(cs.close)
		posts := map[string]poster{"floor": cs.floor.post, "ours": cs.ours.post, "official": cs.official.post,
			"ours-async": func(ctx context.Context, cardID, code string, payload any) error {
				resp, err := cs.ours.postAsync(ctx, cardID, code, payload).Wait(ctx)
				if err != nil {
					return err
				}
				return wantStatus(resp.StatusCode(), 204)
			}}
		gets := map[string]getter{"floor": cs.floor.get, "ours": cs.ours.get, "official": cs.official.get}
		ctx := context.Background()
		for name, post := range posts {
			if err := post(ctx, seedCardID, seedCode, seedPayload()); err != nil {
				t.Errorf("%s POST %s: %v", name, base, err)
			}
		}
		for name, get := range gets {
			body, err := get(ctx, srv.OrderNo)
			if err != nil {
				t.Errorf("%s GET %s: %v", name, base, err)
				continue
			}
			var tx struct {
				OutTradeNo string `json:"out_trade_no"`
				Mchid      string `json:"mchid"`
			}
			if err := json.Unmarshal(body, &tx); err != nil || tx.OutTradeNo != srv.OrderNo || tx.Mchid != srv.MchID {
				t.Errorf("%s GET %s: answer %s (%v), want the order %s", name, base, body, err, srv.OrderNo)
			}
			if body, err := get(ctx, srv.TamperedNo); err == nil {
				t.Errorf("%s GET %s: accepted an answer with a broken signature: %s", name, base, body)
			}
		}
	}
}

// TestCallbackParsersAgree checks that every callback parser decodes the
// same resource from a signed callback and refuses a tampered one.
func TestCallbackParsersAgree(t *testing.T) {
	parsers := callbackParsers(t)
	n, err := srv.notification()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, parse := range parsers {
		m, err := parse(ctx, withBody(newCallbackRequest(n), n.Body))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if m["trade_state"] != "SUCCESS" || m["out_trade_no"] != transactionResource["out_trade_no"] {
			t.Errorf("%s: decoded %v, want the paid transaction", name, m)
		}
		tampered := []byte(strings.Replace(string(n.Body), "TRANSACTION.SUCCESS", "TRANSACTION.FAILURE", 1))
		if _, err := parse(ctx, withBody(newCallbackRequest(n), tampered)); err == nil {
			t.Errorf("%s: accepted a callback whose body changed after signing", name)
		}
	}
}

// callbackParsers is every contestant's callback parser.
func callbackParsers(tb testing.TB) map[string]callbackParser {
	tb.Helper()
	a, err := floorCallback()
	if err != nil {
		tb.Fatal(err)
	}
	b, err := oursCallback()
	if err != nil {
		tb.Fatal(err)
	}
	c, err := officialCallback()
	if err != nil {
		tb.Fatal(err)
	}
	return map[string]callbackParser{nameFloor: a, nameOurs: b, nameOfficial: c}
}
