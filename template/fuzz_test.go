package template

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzVars is the fixed variable set FuzzParse expands with: values full of
// characters that need encoding, lists, maps, numbers and undefined ones.
var fuzzVars = map[string]any{
	"var":   "value",
	"hello": "Hello World!",
	"half":  "50%",
	"pct":   "%2F%zz%",
	"path":  "/foo/../bar?x=#y",
	"uni":   "drücken 𝄞",
	"bad":   "a\xff\x00b",
	"empty": "",
	"undef": nil,
	"num":   -12.5,
	"int":   42,
	"list":  []string{"red", "a b", "", "%2F"},
	"any":   []any{"x", 1, nil, true},
	"keys":  map[string]string{"semi": ";", "sp ace": " ", "": "empty key"},
	"none":  []string{},
	"a":     "A{}<>\"\\^`|",
	"x.y":   "dotted",
	"%20":   "pct name",
}

// checkURIChars fails unless s holds only characters allowed in a URI
// (unreserved, reserved) and "%" only as the start of a pct-encoded
// triplet: no space, no control byte, no non-ASCII byte.
func checkURIChars(t *testing.T, what, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if !isPctTriplet(s, i) {
				t.Fatalf("%s %q: '%%' at %d starts no pct-encoded triplet", what, s, i)
			}
			continue
		}
		if !uriSet[c] {
			t.Fatalf("%s %q: raw byte 0x%02X at %d is not allowed in a URI", what, s, c, i)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare",
		"{var}", "{+path}/here", "{#hello}", "X{.list*}", "{/list*,path:4}", "{;keys*}",
		"{?var,hello,empty,undef}", "{&any*}", "{uni:3}", "{+pct:2}", "{x.y}{%20}",
		"café {a}%2", "{/id*", "/id*}", "{var:10000}", "{hello:2*}", "{keys:1}", "{!a}",
		"{none}{?none*}", "{bad}{+bad}", "a\x00b", "{num,int}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tmpl, err := Parse(s)
		if err != nil {
			var te *Error
			if !errors.As(err, &te) || !errors.Is(err, ErrTemplate) {
				t.Fatalf("Parse error %v is not an ErrTemplate *Error", err)
			}
			if te.Offset < 0 || te.Offset >= len(s) {
				t.Fatalf("Parse(%q) error offset %d out of range", s, te.Offset)
			}
			return
		}
		if tmpl.String() != s {
			t.Fatalf("String() = %q, want %q", tmpl.String(), s)
		}
		for _, name := range tmpl.Names() {
			if !strings.Contains(s, name) {
				t.Fatalf("Names() holds %q, not in %q", name, s)
			}
		}
		got, err := tmpl.Expand(fuzzVars)
		if err != nil {
			if !errors.Is(err, ErrTemplate) {
				t.Fatalf("Expand error %v is not ErrTemplate", err)
			}
			return
		}
		checkURIChars(t, "expansion", got)
		// AppendExpand agrees with Expand.
		buf, err := tmpl.AppendExpand([]byte("prefix"), fuzzVars)
		if err != nil || string(buf) != "prefix"+got {
			t.Fatalf("AppendExpand = %q, %v; want %q", buf, err, "prefix"+got)
		}
	})
}

// fuzzOps are the operators FuzzExpand chooses from.
var fuzzOps = []string{"", "+", "#", ".", "/", ";", "?", "&"}

func FuzzExpand(f *testing.F) {
	for _, s := range []string{"", "value", "Hello World!", "50%", "%2F", "a/../b", "drücken", "𝄞stave",
		"\xff\xfe", "%", "%2", "%zz", "?#[]@!$&'()*+,;=", "é%C3%A9", "{x}"} {
		for op := range fuzzOps {
			f.Add(s, uint8(op), uint16(0))
			f.Add(s, uint8(op), uint16(2))
		}
	}
	f.Fuzz(func(t *testing.T, value string, opIndex uint8, prefix uint16) {
		op := fuzzOps[int(opIndex)%len(fuzzOps)]
		src := "{" + op + "v"
		n := int(prefix) % (maxPrefix + 1)
		if n > 0 {
			src += ":" + strconv.Itoa(n)
		}
		src += "}"
		tmpl, err := Parse(src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", src, err)
		}
		got, err := tmpl.Expand(map[string]any{"v": value})
		if err != nil {
			t.Fatalf("Expand(%q): %v", src, err)
		}
		checkURIChars(t, "expansion", got)

		// Split off what the operator adds in front of the value.
		lead := map[string]string{"": "", "+": "", "#": "#", ".": ".", "/": "/", ";": ";v=", "?": "?v=", "&": "&v="}[op]
		if op == ";" && value == "" {
			lead = ";v"
		}
		enc, ok := strings.CutPrefix(got, lead)
		if !ok {
			t.Fatalf("Expand(%q) = %q, want it to start with %q", src, got, lead)
		}
		if op == "+" || op == "#" {
			return
		}
		// Unreserved operators: only unreserved characters and triplets, and
		// decoding gives back the value (its first n characters).
		for i := 0; i < len(enc); i++ {
			if enc[i] != '%' && !unreservedSet[enc[i]] {
				t.Fatalf("Expand(%q) = %q: raw reserved byte %q", src, got, enc[i])
			}
		}
		dec, err := url.PathUnescape(enc)
		if err != nil {
			t.Fatalf("Expand(%q) = %q: %v", src, got, err)
		}
		if want := firstChars(value, n); dec != want {
			t.Fatalf("Expand(%q) = %q decodes to %q, want %q", src, got, dec, want)
		}
	})
}

// firstChars returns the first n characters of s (all of it when n is 0),
// counting each invalid UTF-8 byte as one character.
func firstChars(s string, n int) string {
	if n == 0 {
		return s
	}
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// FuzzFormat checks that Format and Expand stay one formatter: for a list
// of a string, an integer and a float, Expand("{v}") is exactly Format's
// texts, percent-encoded and joined with ','; a value one refuses, the
// other refuses too.
func FuzzFormat(f *testing.F) {
	f.Add("a b", int64(30), 1.5)
	f.Add("", int64(-1), 0.0)
	f.Add("微信/?#", int64(1<<62), 1e300)
	tmpl := MustParse("{v}")
	f.Fuzz(func(t *testing.T, s string, n int64, x float64) {
		v := []any{s, n, x}
		kind, texts, ferr := Format(v)
		got, eerr := tmpl.Expand(map[string]any{"v": v})
		if (ferr == nil) != (eerr == nil) {
			t.Fatalf("Format error %v, Expand error %v: they disagree", ferr, eerr)
		}
		if ferr != nil {
			return
		}
		if kind != List {
			t.Fatalf("Format(%#v) kind = %v, want list", v, kind)
		}
		var want []byte
		for i, text := range texts {
			if i > 0 {
				want = append(want, ',')
			}
			want = appendEncoded(want, text, false, 0)
		}
		if got != string(want) {
			t.Fatalf("Expand = %q, Format texts encoded = %q", got, want)
		}
	})
}
