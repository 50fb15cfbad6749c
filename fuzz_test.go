package wechatpay

import (
	"errors"
	"strings"
	"testing"
)

// FuzzChain feeds arbitrary arguments to Chain and checks the two rules:
// no panic; a chain either fails with an ErrTemplate error or its path is
// the first argument verbatim (minus leading slashes) when that holds '/',
// and otherwise starts with the argument normalised: the same letters
// with every ASCII capital lowered (and '-' added), and normalising again
// changes nothing.
func FuzzChain(f *testing.F) {
	for _, s := range []string{"v3", "V3/Certificates", "membercardOpen", "complaintsV2", "_card_id_", "_openId_",
		"{+url}", "OpenID", "2ndStep", "_", "a_", "applyment4sub/applyment/", "v3/files{/path*}", "/lead", "a//b", "{x",
		"v3/pay/transactions/out-trade-no/ORDER20261201A", "v3/billdownload/file?token=6XIv5TUP_x_Y"} {
		f.Add(s, "cards")
	}
	c := &Client{baseURL: "https://api.mch.weixin.qq.com/"}
	f.Fuzz(func(t *testing.T, a, b string) {
		ch := c.Chain(a, b)
		if err := ch.Err(); err != nil {
			if !errors.Is(err, ErrTemplate) {
				t.Fatalf("Chain(%q, %q): error %v does not wrap ErrTemplate", a, b, err)
			}
			return
		}
		path := ch.Path()
		if strings.Contains(a, "/") {
			if want := strings.TrimLeft(a, "/"); !strings.HasPrefix(path, want) {
				t.Fatalf("Chain(%q, %q).Path() = %q: the path argument was not kept verbatim", a, b, path)
			}
			return
		}
		if a == "" || strings.Contains(a, "{") || (len(a) > 2 && a[0] == '_' && a[len(a)-1] == '_') {
			return
		}
		seg, _, _ := strings.Cut(path, "/")
		if strings.Contains(b, "/") {
			seg = strings.TrimSuffix(path, "/"+strings.TrimLeft(b, "/"))
		}
		if hasUpper(seg) {
			t.Fatalf("Chain(%q, %q): segment %q keeps a capital", a, b, seg)
		}
		if !strings.EqualFold(strings.ReplaceAll(seg, "-", ""), strings.ReplaceAll(a, "-", "")) {
			t.Fatalf("Chain(%q, %q): segment %q is not %q normalised", a, b, seg, a)
		}
		if again := normalizeSegment(seg); again != seg {
			t.Fatalf("normalising %q again gives %q", seg, again)
		}
	})
}

// FuzzTarget expands a fixed chain with arbitrary values under the simple
// and the reserved operator and checks that the result never holds a dot
// segment, an empty segment, a raw space or non-ASCII byte, and that a
// simple expansion stays inside its one path segment.
func FuzzTarget(f *testing.F) {
	for _, s := range []string{"478515832665", ".", "..", "%2e", "%2E%2E", "a/b", "a?b#c", "100%", "微信", "../../v2", "..%2F", ""} {
		f.Add(s)
	}
	c := &Client{baseURL: "https://api.mch.weixin.qq.com/"}
	simple := c.Chain("v3/x/{id}/y")
	reserved := c.Chain("v3/x/{+id}/y")
	f.Fuzz(func(t *testing.T, v string) {
		for _, ch := range []*Chain{simple, reserved} {
			got, err := ch.target(Options{"id": v})
			if err != nil {
				if !errors.Is(err, ErrTemplate) {
					t.Fatalf("%s with %q: error %v does not wrap ErrTemplate", ch.Path(), v, err)
				}
				continue
			}
			if checkPath(got, false) != nil {
				t.Fatalf("%s with %q: accepted unsafe target %q", ch.Path(), v, got)
			}
			for i := 0; i < len(got); i++ {
				if got[i] <= ' ' || got[i] >= 0x7f {
					t.Fatalf("%s with %q: raw byte %#x in %q", ch.Path(), v, got[i], got)
				}
			}
			if ch == simple && strings.Count(got, "/") != 3 {
				t.Fatalf("simple expansion of %q left its segment: %q", v, got)
			}
		}
	})
}
