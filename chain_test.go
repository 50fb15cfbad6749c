package wechatpay

import (
	"errors"
	"strings"
	"testing"
)

// TestChainPaths is the table of Chain's two kinds of argument: a path
// (holding '/') is a URI template taken verbatim; a segment name (no '/')
// is normalised.
func TestChainPaths(t *testing.T) {
	t.Parallel()
	c := &Client{baseURL: "https://api.mch.weixin.qq.com/"}
	tests := []struct {
		name  string
		parts []string
		want  string
	}{
		// Segment names: normalised.
		{"plain segment", []string{"v3"}, "v3"},
		{"capital segment", []string{"V3"}, "v3"},
		{"camel case", []string{"membercardOpen"}, "membercard-open"},
		{"version suffix", []string{"complaintsV2"}, "complaints-v2"},
		{"placeholder", []string{"_card_id_"}, "{card_id}"},
		{"placeholder keeps case", []string{"_openId_"}, "{openId}"},
		{"expression segment kept", []string{"{+url}"}, "{+url}"},
		{"acronym", []string{"OpenID"}, "open-i-d"},
		{"digit first", []string{"2ndStep"}, "2nd-step"},
		{"lone underscore", []string{"_"}, "_"},
		{"double underscore", []string{"__"}, "__"},
		{"trailing underscore only", []string{"a_"}, "a_"},
		{"leading underscore only", []string{"_a"}, "_a"},
		{"seed segments", []string{"v3", "marketing", "membercardOpen", "cards", "_card_id_", "codes", "_code_", "bonus", "prepare"},
			"v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"},
		// Paths: verbatim.
		{"seed template", []string{"v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"},
			"v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"},
		{"literal id keeps its capitals", []string{"v3/pay/transactions/out-trade-no/ORDER20261201A"}, "v3/pay/transactions/out-trade-no/ORDER20261201A"},
		{"literal query kept", []string{"v3/billdownload/file?token=6XIv5TUPhyUCzgQ_x_Y"}, "v3/billdownload/file?token=6XIv5TUPhyUCzgQ_x_Y"},
		{"underscored literal is not a placeholder", []string{"v3/x/_id_"}, "v3/x/_id_"},
		{"capital path kept", []string{"V3/Certificates"}, "V3/Certificates"},
		{"trailing slash kept", []string{"v3/applyment4sub/applyment/"}, "v3/applyment4sub/applyment/"},
		{"leading slash ignored", []string{"/v3/pay"}, "v3/pay"},
		{"lone leading slash makes a path", []string{"/OpenID"}, "OpenID"},
		{"expression with slash operator", []string{"v3/files{/path*}"}, "v3/files{/path*}"},
		{"query expression", []string{"v3/x/{id}{?a,b}"}, "v3/x/{id}{?a,b}"},
		// Both kinds in one chain.
		{"mixed", []string{"v3/marketing", "membercardOpen/cards", "{card_id}"}, "v3/marketing/membercardOpen/cards/{card_id}"},
		{"path then segment names", []string{"v3/pay/transactions", "outTradeNo", "_out_trade_no_"}, "v3/pay/transactions/out-trade-no/{out_trade_no}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ch := c.Chain(tt.parts...)
			if err := ch.Err(); err != nil {
				t.Fatalf("Chain(%q): %v", tt.parts, err)
			}
			if got := ch.Path(); got != tt.want {
				t.Errorf("Chain(%q).Path() = %q, want %q", tt.parts, got, tt.want)
			}
		})
	}
}

// TestLiteralPathOnTheWire checks the URL a literal path is sent to: the
// typed id and the query token go out byte for byte.
func TestLiteralPathOnTheWire(t *testing.T) {
	t.Parallel()
	tests := []struct{ path, want string }{
		{"v3/pay/transactions/out-trade-no/ORDER20261201A", "https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/ORDER20261201A"},
		{"v3/billdownload/file?token=6XIv5TUPhyUCzgQ_x_Y", "https://api.mch.weixin.qq.com/v3/billdownload/file?token=6XIv5TUPhyUCzgQ_x_Y"},
	}
	for _, tt := range tests {
		req, err := testChain(t, tt.path).prepare("GET", nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if req.url != tt.want {
			t.Errorf("Chain(%q) is sent to %q, want %q", tt.path, req.url, tt.want)
		}
	}
}

func TestChainExtends(t *testing.T) {
	t.Parallel()
	c := &Client{baseURL: "https://api.mch.weixin.qq.com/"}
	root := c.Chain("v3")
	a := root.Chain("marketing").Chain("membercardOpen", "cards", "_card_id_").Chain("codes/{code}/bonus/prepare")
	b := root.Chain("pay", "transactions", "native")
	if got, want := a.Path(), "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"; got != want {
		t.Errorf("extended path = %q, want %q", got, want)
	}
	if got, want := b.Path(), "v3/pay/transactions/native"; got != want {
		t.Errorf("sibling path = %q, want %q", got, want)
	}
	if got := root.Path(); got != "v3" {
		t.Errorf("root changed to %q: chains must be immutable", got)
	}
	slash := c.Chain("v3/applyment4sub/applyment/")
	if got, want := slash.Chain("business_code", "_code_").Path(), "v3/applyment4sub/applyment/business_code/{code}"; got != want {
		t.Errorf("extending a trailing-slash chain = %q, want %q", got, want)
	}
	if got, want := c.Chain("v3/pay").Chain("/transactions/ORDER1").Path(), "v3/pay/transactions/ORDER1"; got != want {
		t.Errorf("extending with a path = %q, want %q", got, want)
	}
}

func TestChainBuildErrors(t *testing.T) {
	t.Parallel()
	c := &Client{baseURL: "https://api.mch.weixin.qq.com/"}
	tests := []struct {
		name   string
		parts  []string
		wantIn string
	}{
		{"empty", nil, "empty chain"},
		{"only slash", []string{"/"}, "empty chain"},
		{"empty interior segment", []string{"v3//pay"}, "empty path segment"},
		{"unclosed expression", []string{"v3/{card_id"}, "unclosed"},
		{"reserved name as variable", []string{"v3/{json}"}, `"json"`},
		{"reserved name as segment placeholder", []string{"v3", "_query_"}, `"query"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ch := c.Chain(tt.parts...)
			err := ch.Err()
			if !errors.Is(err, ErrTemplate) {
				t.Fatalf("Chain(%q).Err() = %v, want an ErrTemplate error", tt.parts, err)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("Chain(%q).Err() = %q, want it to mention %s", tt.parts, err, tt.wantIn)
			}
			if _, err := ch.prepare("GET", nil); !errors.Is(err, ErrTemplate) {
				t.Errorf("prepare on a broken chain = %v, want the build error", err)
			}
		})
	}
}

// TestReservedOptionKeys checks the one list of reserved keys: the names
// the code reads are in it, a chain may not use one as a variable, and the
// unknown-option error lists them all.
func TestReservedOptionKeys(t *testing.T) {
	t.Parallel()
	keys := ReservedOptionKeys()
	for _, k := range []string{optJSON, optBody, optQuery, optHeaders, optRetry, optUpload} {
		if !isReserved(k) {
			t.Errorf("%q is read as an option but missing from reservedOptionKeys", k)
		}
	}
	keys[0] = "changed"
	if ReservedOptionKeys()[0] == "changed" {
		t.Error("ReservedOptionKeys returns the package's own slice")
	}
	_, err := testChain(t, "v3/x").prepare("GET", Options{"josn": 1})
	for _, k := range ReservedOptionKeys() {
		if c := (&Client{}).Chain("v3/{" + k + "}"); !errors.Is(c.Err(), ErrTemplate) {
			t.Errorf("Chain with variable %q: err = %v, want a collision error", k, c.Err())
		}
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("unknown-option error %v does not list %q", err, k)
		}
	}
}
