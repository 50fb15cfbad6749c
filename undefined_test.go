package wechatpay

import (
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
)

// nilStringer is a fmt.Stringer whose nil pointer is a plausible value.
type nilStringer struct{ s string }

func (n *nilStringer) String() string { return n.s }

// cardNo is a named integer type, as merchants declare ids.
type cardNo int

// TestUndefinedValuesAreErrors checks that every value RFC 6570 treats as
// undefined, and an empty value filling a whole segment, is refused before
// anything is sent, instead of silently addressing another resource.
func TestUndefinedValuesAreErrors(t *testing.T) {
	t.Parallel()
	const item = "v3/pay/transactions/id/{id}"
	tests := []struct {
		name     string
		template string
		value    any
		wantIn   string
	}{
		{"typed nil pointer", item, (*string)(nil), `"id"`},
		{"nil Stringer", item, (*nilStringer)(nil), `"id"`},
		{"empty list", item, []string{}, `"id"`},
		{"nil list", item, []string(nil), `"id"`},
		{"empty []any", item, []any{}, `"id"`},
		{"empty []int", item, []int{}, `"id"`},
		{"empty map", item, map[string]string{}, `"id"`},
		{"list of only nils", item, []any{nil, nil}, `"id"`},
		{"list of nil pointers", item, []*string{nil}, `"id"`},
		{"map of only nils", item, map[string]any{"a": nil}, `"id"`},
		{"empty string fills the last segment", item, "", "empty"},
		{"empty Stringer fills the last segment", item, &nilStringer{}, "empty"},
		{"list of one empty string fills the last segment", item, []string{""}, "empty"},
		{"empty string before a query expression", item + "{?mchid}", "", "empty"},
		{"empty string before a literal query", item + "?mchid=1230000109", "", "empty"},
		{"empty string under a slash operator", "v3/pay/transactions/id{/id}", "", "empty"},
		{"empty string in the middle", "v3/x/{id}/y", "", "empty"},
		{"empty reserved value", "v3/x/{+id}", "", "empty"},
		// The rule is about the path's shape, so a reserved value ending
		// with '/' is refused too: write the '/' in the template instead.
		{"reserved value adding a trailing slash", "v3/x/{+id}", "a/b/", "empty"},
		{"undefined query variable", "v3/x{?id}", (*string)(nil), `"id"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := Options{"id": tt.value}
			if strings.Contains(tt.template, "{?mchid}") {
				opts["mchid"] = "1230000109"
			}
			req, err := testChain(t, tt.template).prepare("GET", opts)
			if !errors.Is(err, ErrTemplate) {
				var url string
				if req != nil {
					url = req.url
				}
				t.Fatalf("prepare(%#v) = %q, %v; want an ErrTemplate error", tt.value, url, err)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("error %q does not mention %s", err, tt.wantIn)
			}
		})
	}
}

// TestEmptyValuesThatDoNotEmptyASegment checks what stays allowed: an
// empty value beside literal text in its segment, and a template whose own
// path ends with '/'.
func TestEmptyValuesThatDoNotEmptyASegment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		template string
		opts     Options
		want     string
	}{
		{"v3/x/file{id}", Options{"id": ""}, "v3/x/file"},
		{"v3/applyment4sub/applyment/{?code}", Options{"code": ""}, "v3/applyment4sub/applyment/?code="},
		{"v3/x/{a}{b}", Options{"a": "", "b": "1"}, "v3/x/1"},
		{"v3/x/{+rest}/", Options{"rest": "a/b"}, "v3/x/a/b/"},
	}
	for _, tt := range tests {
		got, err := testChain(t, tt.template).target(tt.opts)
		if err != nil || got != tt.want {
			t.Errorf("%s with %v = %q, %v; want %q", tt.template, tt.opts, got, err, tt.want)
		}
	}
}

// TestQueryAndTemplateFormatAlike checks that a value becomes the same text
// in a template variable and in the "query" option, and that a value one
// refuses the other refuses too.
func TestQueryAndTemplateFormatAlike(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value any
		want  []string // the texts; nil means both refuse the value
	}{
		{"string", "a b", []string{"a b"}},
		{"int", 42, []string{"42"}},
		{"named int", cardNo(7), []string{"7"}},
		{"float", 1.5, []string{"1.5"}},
		{"whole float", 30.0, []string{"30"}},
		{"bool", true, []string{"true"}},
		{"Stringer", &nilStringer{"s"}, []string{"s"}},
		{"[]int", []int{1, 2}, []string{"1", "2"}},
		{"[]cardNo", []cardNo{3}, []string{"3"}},
		{"[]any with a nil member", []any{"a", nil, 2}, []string{"a", "2"}},
		{"NaN", math.NaN(), nil},
		{"infinity", math.Inf(1), nil},
		{"bytes", []byte("x"), nil},
		{"struct", struct{}{}, nil},
		{"nested list", []any{[]string{"a"}}, nil},
		{"nil pointer", (*int)(nil), nil},
		{"empty list", []string{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			query, qerr := encodeQuery(map[string]any{"v": tt.value})
			path, perr := testChain(t, "v3/x/{v}").target(Options{"v": tt.value})
			if tt.want == nil {
				if qerr == nil || perr == nil {
					t.Fatalf("query = %q, %v; path = %q, %v; want both refused", query, qerr, path, perr)
				}
				if !errors.Is(qerr, ErrTemplate) || !errors.Is(perr, ErrTemplate) {
					t.Errorf("errors %v / %v do not both match ErrTemplate", qerr, perr)
				}
				return
			}
			if qerr != nil || perr != nil {
				t.Fatalf("query error %v, path error %v; want %q", qerr, perr, tt.want)
			}
			var wantQuery, wantPath []string
			for _, s := range tt.want {
				wantQuery = append(wantQuery, "v="+strings.ReplaceAll(s, " ", "+"))
				wantPath = append(wantPath, strings.ReplaceAll(s, " ", "%20"))
			}
			if got, want := query, strings.Join(wantQuery, "&"); got != want {
				t.Errorf("query = %q, want %q", got, want)
			}
			if got, want := path, "v3/x/"+strings.Join(wantPath, ","); got != want {
				t.Errorf("path = %q, want %q", got, want)
			}
		})
	}
}

// TestHeaderOptionIsChecked checks that a header net/http would refuse, or
// one that would re-target or pre-sign the request, is an ErrTemplate error
// from prepare: before signing, so before any attempt or retry. The error
// never quotes the value.
func TestHeaderOptionIsChecked(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-value"
	tests := []struct {
		name    string
		headers any
		wantIn  string
	}{
		{"CR in value", map[string]string{"X-Trace": secret + "\r"}, `"X-Trace"`},
		{"LF in value", map[string]string{"X-Trace": secret + "\nX-Evil: 1"}, `"X-Trace"`},
		{"CRLF in value", headerOf("X-Trace", secret+"\r\n"), `"X-Trace"`},
		{"NUL in value", map[string]string{"X-Trace": secret + "\x00"}, `"X-Trace"`},
		{"other control byte", map[string]string{"X-Trace": secret + "\x7f"}, `"X-Trace"`},
		{"space in name", map[string]string{"X Trace": "1"}, `"X Trace"`},
		{"colon in name", map[string]string{"X-Trace:": "1"}, `"X-Trace:"`},
		{"newline in name", map[string]string{"X-Trace\n": "1"}, "name"},
		{"empty name", map[string]string{"": "1"}, "name"},
		{"non-ASCII name", map[string]string{"X-微信": "1"}, "name"},
		{"Host", map[string]string{"Host": "evil.example"}, "Host"},
		{"host lower case", map[string]string{"host": "evil.example"}, "Host"},
		{"Host in http.Header", headerOf("Host", "evil.example"), "Host"},
		{"Authorization", map[string]string{"authorization": "x"}, "Authorization"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := testChain(t, "v3/x").prepare("POST", Options{"headers": tt.headers})
			if !errors.Is(err, ErrTemplate) {
				t.Fatalf("prepare = %v, want an ErrTemplate error", err)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("error %q does not name %s", err, tt.wantIn)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q quotes the header value", err)
			}
		})
	}
	ok := map[string]string{"Wechatpay-Serial": "PUB_KEY_ID_1", "X-Tab": "a\tb", "X-Utf8": "微信", "Idempotency-Key": "k!#$%&'*+-.^_`|~"}
	if _, err := testChain(t, "v3/x").prepare("POST", Options{"headers": ok}); err != nil {
		t.Errorf("valid headers refused: %v", err)
	}
}

// headerOf is an http.Header holding name verbatim (not canonicalised).
func headerOf(name, value string) http.Header {
	return http.Header{name: {value}}
}
