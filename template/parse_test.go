package template

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseErrors checks every syntax error message and its offset.
func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tmpl   string
		offset int
		reason string
	}{
		{"v3/pay/{id", 7, "unclosed expression"},
		{"{/id*", 0, "unclosed expression"},
		{"a}", 1, "unexpected '}' outside an expression"},
		{"{id}}", 4, "unexpected '}' outside an expression"},
		{"x{}", 1, "empty expression"},
		{"{=path}", 1, "reserved operator '='"},
		{"{,a}", 1, "reserved operator ','"},
		{"{!hello}", 1, "reserved operator '!'"},
		{"{@a}", 1, "reserved operator '@'"},
		{"{|var*}", 1, "reserved operator '|'"},
		{"{?}", 2, "missing variable name"},
		{"{a,}", 3, "missing variable name"},
		{"{a,,b}", 3, "missing variable name"},
		{"{$var}", 1, "invalid character '$' in variable name"},
		{"{??hello}", 2, "invalid character '?' in variable name"},
		{"{ leading}", 1, "invalid character ' ' in variable name"},
		{"{~thing}", 1, "invalid character '~' in variable name"},
		{"{ü}", 1, "invalid character 'ü' in variable name"},
		{"{\xff}", 1, "invalid character 0xFF in variable name"},
		{"{a{b}", 2, "invalid character '{' (expressions do not nest) after variable \"a\""},
		{"{with space}", 5, "invalid character ' ' after variable \"with\""},
		{"{x, y}", 3, "invalid character ' ' in variable name"},
		{"{hello+}", 6, "invalid character '+' after variable \"hello\""},
		{"{default-graph-uri}", 8, "invalid character '-' after variable \"default\""},
		{"{?empty=default}", 7, "invalid character '=' after variable \"empty\""},
		{"{var*:3}", 5, "invalid character ':' after variable \"var\""},
		{"{.x}", -1, ""}, // valid: "." is the label operator
		{"{..x}", 2, "variable name starts with '.'"},
		{"{x.}", 2, "variable name ends with '.'"},
		{"{x.:3}", 2, "variable name ends with '.'"},
		{"{x..y}", 3, "variable name has '..'"},
		{"{%2x}", 1, "invalid pct-encoding in variable name"},
		{"{a%2}", 2, "invalid pct-encoding in variable name"},
		{"{var:}", 5, "prefix modifier needs a length from 1 to 9999"},
		{"{var:prefix}", 5, "prefix modifier needs a length from 1 to 9999"},
		{"{var:0}", 5, "prefix length 0 is not between 1 and 9999 (no leading zeros)"},
		{"{var:01}", 5, "prefix length 01 is not between 1 and 9999 (no leading zeros)"},
		{"{var:10000}", 5, "prefix length 10000 is not between 1 and 9999 (no leading zeros)"},
		{"{var:99999999999999999999999}", 5, "prefix length 99999999999999999999999 is not between 1 and 9999 (no leading zeros)"},
		{"{hello:2*}", 8, "explode modifier '*' cannot follow a prefix modifier"},
		{"{var:3x}", 6, "invalid character 'x' after variable \"var\""},
		{"a\nb", 1, "control character 0x0A in literal"},
		{"a\x7fb", 1, "control character 0x7F in literal"},
		{"ab\xc3", 2, "invalid UTF-8 byte 0xC3 in literal"},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			t.Parallel()
			tmpl, err := Parse(tt.tmpl)
			if tt.offset < 0 {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tt.tmpl, tmpl)
			}
			if !errors.Is(err, ErrTemplate) {
				t.Errorf("errors.Is(%v, ErrTemplate) = false", err)
			}
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("error %T is not a *Error", err)
			}
			want := &Error{Template: tt.tmpl, Offset: tt.offset, Reason: tt.reason}
			if diff := cmp.Diff(want, te); diff != "" {
				t.Errorf("Parse(%q) error (-want +got):\n%s", tt.tmpl, diff)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := Parse("v3/pay/{id")
	want := `wechatpay: template error: unclosed expression at offset 7 in "v3/pay/{id"`
	if err == nil || err.Error() != want {
		t.Errorf("Parse error = %v, want %s", err, want)
	}
}

// TestParseLiterals checks the encoding of literal text.
func TestParseLiterals(t *testing.T) {
	t.Parallel()
	tests := []struct{ tmpl, want string }{
		{"café/{var}", "caf%C3%A9/value"},
		{"x%20y/{var}", "x%20y/value"},
		{"x%20y{var}z%20w", "x%20yvaluez%20w"},
		{"a b", "a%20b"},
		{`"<>\^` + "`|", "%22%3C%3E%5C%5E%60%7C"},
		{"100%", "100%25"},
		{"%zz%2", "%25zz%252"},
		{"%2f", "%2f"},
		{"!$&'()*+,;=:@/?#[]-._~", "!$&'()*+,;=:@/?#[]-._~"},
		{"𝄞", "%F0%9D%84%9E"},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			t.Parallel()
			got, err := MustParse(tt.tmpl).Expand(map[string]any{"var": "value"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Expand(%q) mismatch (-want +got):\n%s", tt.tmpl, diff)
			}
		})
	}
}

func TestNamesAndString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tmpl  string
		names []string
	}{
		{"", nil},
		{"v3/certificates", nil},
		{"v3/x/{id}{?a,b}", []string{"id", "a", "b"}},
		{"{b}{a}{b,c}{&a*}{/c:3}", []string{"b", "a", "c"}},
		{"{Some%20Thing}{last.name}{42}", []string{"Some%20Thing", "last.name", "42"}},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			t.Parallel()
			tmpl := MustParse(tt.tmpl)
			if diff := cmp.Diff(tt.names, tmpl.Names()); diff != "" {
				t.Errorf("Names() (-want +got):\n%s", diff)
			}
			if got := tmpl.String(); got != tt.tmpl {
				t.Errorf("String() = %q, want %q", got, tt.tmpl)
			}
		})
	}
	// Names returns a copy: changing it does not change the template.
	tmpl := MustParse("{a}{b}")
	tmpl.Names()[0] = "changed"
	if got := tmpl.Names(); got[0] != "a" {
		t.Errorf("Names() after modifying an earlier result = %q", got)
	}
}

func TestMustParsePanics(t *testing.T) {
	t.Parallel()
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, ErrTemplate) || !strings.Contains(err.Error(), "unclosed expression at offset 0") {
			t.Errorf("MustParse panicked with %v, want the ErrTemplate parse error", r)
		}
	}()
	MustParse("{oops")
}
