package wechatpaytest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPatternMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, path string
		vars          map[string]string
		ok            bool
	}{
		{"v3/certificates", "v3/certificates", nil, true},
		{"/v3/certificates", "v3/certificates", nil, true},
		{"v3/certificates?x={x}", "v3/certificates", nil, true},
		{"v3/certificates", "v3/certificates/", nil, false},
		{"v3/a/{id}", "v3/a/1", map[string]string{"id": "1"}, true},
		{"v3/a/{id}", "v3/a/", nil, false},
		{"v3/a/{id}", "v3/a/1/2", nil, false},
		{"v3/a/{id}", "v3/a/%zz", nil, false},
		{"v3/a/{id}", "v3/a/%2F%20", map[string]string{"id": "/ "}, true},
		{"v3/{a}/{b}", "v3/x/y", map[string]string{"a": "x", "b": "y"}, true},
		{"v3/a b", "v3/a%20b", nil, true},
		{"v3/{}", "v3/{}", nil, true},
		{"v3/{a}x", "v3/{a}x", nil, true},
		{"v3/{a}x", "v3/1x", nil, false},
	}
	for _, tc := range tests {
		vars, ok := parsePattern(tc.pattern).match(tc.path)
		if ok != tc.ok {
			t.Errorf("%q ~ %q: ok=%v", tc.pattern, tc.path, ok)
			continue
		}
		if diff := cmp.Diff(tc.vars, vars); diff != "" {
			t.Errorf("%q ~ %q vars (-want +got):\n%s", tc.pattern, tc.path, diff)
		}
	}
}

func TestPatternSpecificity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p, q string
		want bool
	}{
		{"v3/x/y", "v3/{a}/y", true},
		{"v3/{a}/y", "v3/x/y", false},
		{"v3/x/{b}", "v3/{a}/y", true},
		{"v3/{a}", "v3/{b}", false},
	}
	for _, tc := range tests {
		if got := parsePattern(tc.p).moreSpecific(parsePattern(tc.q)); got != tc.want {
			t.Errorf("%q more specific than %q = %v", tc.p, tc.q, got)
		}
	}
}

func FuzzPattern(f *testing.F) {
	f.Add("v3/a/{id}/b", "v3/a/1/b")
	f.Add("{x}/{y}", "%41/%zz")
	f.Add("/v3/{}?q", "v3//")
	f.Fuzz(func(t *testing.T, pat, path string) {
		p := parsePattern(pat)
		vars, ok := p.match(path)
		if !ok {
			return
		}
		n := 0
		for _, s := range p.segs {
			if s.isVar {
				n++
			}
		}
		// Placeholders bind non-empty values; names may repeat, the later
		// one winning, so there are at most n vars.
		if len(vars) > n || (n > 0 && len(vars) == 0) {
			t.Fatalf("%q ~ %q: %d vars for %d placeholders", pat, path, len(vars), n)
		}
		for _, v := range vars {
			if v == "" {
				t.Fatalf("%q ~ %q: empty var", pat, path)
			}
		}
		if strings.Count(path, "/") != len(p.segs)-1 {
			t.Fatalf("%q ~ %q: segment counts differ", pat, path)
		}
	})
}
