package wechatpay

import (
	"errors"
	"strings"
	"testing"
)

// FuzzNormalize feeds arbitrary chain parts to the segment normaliser and
// checks its invariants: no panic; a chain either fails with an ErrTemplate
// error or has a path without empty interior segments whose normalised
// plain segments hold no ASCII capital; normalising twice changes nothing.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"v3", "V3/Certificates", "membercardOpen", "complaintsV2", "_card_id_", "_openId_",
		"{+url}", "OpenID", "2ndStep", "_", "a_", "applyment4sub/applyment/", "v3/files{/path*}", "/lead", "a//b", "{x"} {
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
		path := strings.TrimSuffix(ch.Path(), "/")
		segs, _, err := splitSegments(path)
		if err != nil {
			t.Fatalf("Chain(%q, %q).Path() = %q has an empty segment: %v", a, b, ch.Path(), err)
		}
		for _, s := range segs {
			if !strings.Contains(s, "{") && hasUpper(s) {
				t.Fatalf("Chain(%q, %q): segment %q keeps a capital", a, b, s)
			}
			if again := normalizeSegment(s); again != s && !(len(s) > 2 && s[0] == '_' && s[len(s)-1] == '_') {
				t.Fatalf("normalising %q again gives %q", s, again)
			}
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
			if checkPath(got) != nil {
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
