package wechatpay

import (
	"errors"
	"testing"
)

func TestChainPathNormalisation(t *testing.T) {
	t.Parallel()
	c := &Client{baseURL: "https://api.mch.weixin.qq.com/"}
	tests := []struct {
		name  string
		parts []string
		want  string
	}{
		{"plain", []string{"v3"}, "v3"},
		{"upper first and inner", []string{"V3/Certificates"}, "v3/certificates"},
		{"camel case", []string{"membercardOpen"}, "membercard-open"},
		{"version suffix", []string{"complaintsV2"}, "complaints-v2"},
		{"placeholder", []string{"_card_id_"}, "{card_id}"},
		{"placeholder keeps case", []string{"_openId_"}, "{openId}"},
		{"reserved expression kept", []string{"{+url}"}, "{+url}"},
		{"acronym", []string{"OpenID"}, "open-i-d"},
		{"digit first", []string{"2ndStep"}, "2nd-step"},
		{"lone underscore", []string{"_"}, "_"},
		{"double underscore", []string{"__"}, "__"},
		{"trailing underscore only", []string{"a_"}, "a_"},
		{"leading underscore only", []string{"_a"}, "_a"},
		{"trailing slash kept", []string{"v3/applyment4sub/applyment/"}, "v3/applyment4sub/applyment/"},
		{"leading slash ignored", []string{"/v3/pay"}, "v3/pay"},
		{"expression with slash operator", []string{"v3/files{/path*}"}, "v3/files{/path*}"},
		{"query expression", []string{"v3/x/{id}{?a,b}"}, "v3/x/{id}{?a,b}"},
		{"seed segments", []string{"v3", "marketing", "membercardOpen", "cards", "_card_id_", "codes", "_code_", "bonus", "prepare"},
			"v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"},
		{"seed template", []string{"v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"},
			"v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"},
		{"mixed", []string{"v3/marketing", "membercardOpen/cards", "{card_id}"}, "v3/marketing/membercard-open/cards/{card_id}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ch := c.Chain(tt.parts...)
			if got := ch.Path(); got != tt.want {
				t.Errorf("Chain(%q).Path() = %q, want %q", tt.parts, got, tt.want)
			}
		})
	}
}

func TestChainExtends(t *testing.T) {
	t.Parallel()
	c := &Client{baseURL: "https://api.mch.weixin.qq.com/"}
	root := c.Chain("v3")
	a := root.Chain("marketing").Chain("membercardOpen", "cards", "_card_id_").Chain("codes/_code_/bonus/prepare")
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
}

func TestChainBuildErrors(t *testing.T) {
	t.Parallel()
	c := &Client{baseURL: "https://api.mch.weixin.qq.com/"}
	tests := []struct {
		name  string
		parts []string
	}{
		{"empty", nil},
		{"only slash", []string{"/"}},
		{"empty interior segment", []string{"v3//pay"}},
		{"unclosed expression", []string{"v3/{card_id"}},
		{"reserved name as variable", []string{"v3/{json}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ch := c.Chain(tt.parts...)
			if err := ch.Err(); !errors.Is(err, ErrTemplate) {
				t.Fatalf("Chain(%q).Err() = %v, want an ErrTemplate error", tt.parts, err)
			}
			if _, err := ch.prepare("GET", nil); !errors.Is(err, ErrTemplate) {
				t.Errorf("prepare on a broken chain = %v, want the build error", err)
			}
		})
	}
}
