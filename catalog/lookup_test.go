package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay/catalog"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	const seed = "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"
	for _, tc := range []struct {
		name, method, path string
		want               string // catalogued path; "" for not found
	}{
		{"exact template", "POST", seed, seed},
		{"lower-case method", "post", seed, seed},
		{"leading slash", "POST", "/" + seed, seed},
		{"other placeholder names", "POST", "v3/marketing/membercard-open/cards/{id}/codes/{c}/bonus/prepare", seed},
		{"concrete path", "POST", "v3/marketing/membercard-open/cards/478515832665/codes/478515832665/bonus/prepare", seed},
		{"query expression dropped", "GET", "v3/pay/transactions/out-trade-no/{out_trade_no}{?mchid}", "v3/pay/transactions/out-trade-no/{out_trade_no}"},
		{"query string dropped", "GET", "v3/pay/transactions/out-trade-no/X1?mchid=1230000109", "v3/pay/transactions/out-trade-no/{out_trade_no}"},
		{"literal beats placeholder", "POST", "v3/merchant-service/images/upload", "v3/merchant-service/images/upload"},
		{"placeholder where no literal", "GET", "v3/merchant-service/images/MEDIA42", "v3/merchant-service/images/{media_id}"},
		{"literal branch backtracks", "GET", "v3/refund/domestic/refunds/R1", "v3/refund/domestic/refunds/{out_refund_no}"},
		{"trailing slash is part of the path", "POST", "v3/applyment4sub/applyment/", "v3/applyment4sub/applyment/"},
		{"without its trailing slash", "POST", "v3/applyment4sub/applyment", ""},
		{"v2 path", "POST", "v2/pay/micropay", "v2/pay/micropay"},
		{"capital literal of v2", "POST", "v2/secapi/mch/addInstitutionsub", "v2/secapi/mch/addInstitutionsub"},
		{"template segment does not match a literal", "POST", "v3/merchant-service/images/{x}", ""},
		{"wrong method", "DELETE", "v3/pay/transactions/native", ""},
		{"unknown path", "GET", "v3/no/such/endpoint", ""},
		{"empty segment does not fill a placeholder", "GET", "v3/pay/transactions/out-trade-no/", ""},
		{"empty", "GET", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := catalog.Lookup(tc.method, tc.path)
			if tc.want == "" {
				if ok {
					t.Fatalf("Lookup(%s, %q) = %s %s, want not found", tc.method, tc.path, got.Method, got.Path)
				}
				return
			}
			if !ok || got.Path != tc.want {
				t.Fatalf("Lookup(%s, %q) = %q, %v; want %q", tc.method, tc.path, got.Path, ok, tc.want)
			}
		})
	}
}

func TestSeedEndpoint(t *testing.T) {
	t.Parallel()
	e, ok := catalog.Lookup("POST", "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare")
	if !ok {
		t.Fatal("seed endpoint not catalogued")
	}
	if e.Title != "支付结果页展示会员积分" || e.API != "v3" || !e.NoContent || e.ResponseKind != "no_content" ||
		!slices.Equal(e.Placeholders, []string{"card_id", "code"}) || len(e.Docs) != 2 || e.Deprecated() {
		t.Errorf("seed endpoint: %+v", e)
	}
	var body []string
	for _, f := range e.Request {
		if f.Parent == "json" {
			body = append(body, f.Name+":"+f.Type)
		}
	}
	if want := []string{"out_trade_no:string", "mchid:string", "sub_mchid:string", "bonus_value:integer"}; !slices.Equal(body, want) {
		t.Errorf("json fields %q, want %q", body, want)
	}
}

func TestMethods(t *testing.T) {
	t.Parallel()
	if got := catalog.Methods("v3/pay/transactions/native"); !slices.Equal(got, []string{"POST"}) {
		t.Errorf("Methods(native) = %q", got)
	}
	if got := catalog.Methods("v3/marketing/bank/packages/P1/tasks"); len(got) < 2 {
		t.Errorf("Methods of a two-method path = %q", got)
	}
	if got := catalog.Methods("v3/nothing"); got != nil {
		t.Errorf("Methods(unknown) = %q", got)
	}
}

func TestMoved(t *testing.T) {
	t.Parallel()
	to, ok := catalog.Moved("v2/mmpaymkttransfers/query_bank")
	if !ok || to != "v2/mmpaysptrans/query_bank" {
		t.Errorf("Moved = %q, %v", to, ok)
	}
	if _, ok := catalog.Moved("v3/pay/transactions/native"); ok {
		t.Error("a current endpoint is reported moved")
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		words    string
		wantPath string // must be among the results
		first    bool   // and come first
	}{
		{"bonus prepare", "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare", true},
		{"会员积分", "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare", false},
		{"REFUND domestic", "v3/refund/domestic/refunds", false},
		{"native transactions", "v3/pay/transactions/native", true},
		{"退款", "v3/refund/domestic/refunds", false},
	} {
		got := catalog.Search(tc.words)
		i := slices.IndexFunc(got, func(e catalog.Endpoint) bool { return e.Path == tc.wantPath })
		if i < 0 || tc.first && i != 0 {
			paths := make([]string, 0, 5)
			for _, e := range got[:min(5, len(got))] {
				paths = append(paths, e.Path)
			}
			t.Errorf("Search(%q): %s at %d of %d; first: %q", tc.words, tc.wantPath, i, len(got), paths)
		}
	}
	if got := catalog.Search("   "); got != nil {
		t.Errorf("Search of no words = %d endpoints", len(got))
	}
	if got := catalog.Search("refund zzzqqq"); len(got) != 0 {
		t.Errorf("Search with a word no endpoint has = %d endpoints", len(got))
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	for typo, want := range map[string]string{
		"v3/pay/transaction/native":                       "v3/pay/transactions/native",
		"v3/refund/domestic/refund":                       "v3/refund/domestic/refunds",
		"v3/pay/transactions/out-trade-no/{no}/clse":      "v3/pay/transactions/out-trade-no/{out_trade_no}/close",
		"/v3/marketing/membercard-open/cards/{a}/bonus/x": "",
	} {
		got := catalog.Suggest(typo, 3)
		if len(got) != 3 {
			t.Errorf("Suggest(%q) gave %d", typo, len(got))
			continue
		}
		if want != "" && got[0].Path != want {
			t.Errorf("Suggest(%q)[0] = %q, want %q", typo, got[0].Path, want)
		}
	}
	if got := catalog.Suggest("v3/x", 0); got != nil {
		t.Errorf("Suggest(n=0) = %d", len(got))
	}
}

func TestWebhookLookup(t *testing.T) {
	t.Parallel()
	h, ok := catalog.LookupWebhook("TRANSACTION.SUCCESS")
	if !ok || h.API != "v3" || h.EncryptedField != "ciphertext" {
		t.Fatalf("TRANSACTION.SUCCESS: %+v, %v", h, ok)
	}
	fields, _ := catalog.ResourceFields("TRANSACTION.SUCCESS")
	if !slices.ContainsFunc(fields, func(f catalog.Field) bool { return f.Name == "out_trade_no" && f.Depth == 0 }) {
		t.Errorf("TRANSACTION.SUCCESS resource lacks out_trade_no: %+v", fields)
	}
	if _, ok := catalog.LookupWebhook("NO.SUCH.EVENT"); ok {
		t.Error("unknown event found")
	}
}

// FuzzLookup: any method and path is answered without a panic, and a found
// endpoint has as many segments as the path asked for (after the query
// part is cut).
func FuzzLookup(f *testing.F) {
	f.Add("POST", "v3/marketing/membercard-open/cards/1/codes/2/bonus/prepare")
	f.Add("GET", "/v3/merchant-service/images/{x}?a=b")
	f.Add("post", "v3/applyment4sub/applyment/")
	f.Add("GET", "v3//{?x}#y")
	f.Fuzz(func(t *testing.T, method, path string) {
		e, ok := catalog.Lookup(method, path)
		if !ok {
			return
		}
		p := strings.TrimPrefix(path, "/")
		if i := strings.IndexAny(p, "?#"); i >= 0 {
			p = p[:i]
		}
		if i := strings.Index(p, "{?"); i >= 0 {
			p = p[:i]
		}
		if i := strings.Index(p, "{&"); i >= 0 {
			p = p[:i]
		}
		if strings.Count(p, "/") != strings.Count(e.Path, "/") || !strings.EqualFold(method, e.Method) {
			t.Fatalf("Lookup(%q, %q) = %s %s", method, path, e.Method, e.Path)
		}
	})
}
