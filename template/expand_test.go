package template

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rfcVars are the variables of RFC 6570 section 3.2.
var rfcVars = map[string]any{
	"count":      []string{"one", "two", "three"},
	"dom":        []any{"example", "com"},
	"dub":        "me/too",
	"hello":      "Hello World!",
	"half":       "50%",
	"var":        "value",
	"who":        "fred",
	"base":       "http://example.com/home/",
	"path":       "/foo/bar",
	"list":       []string{"red", "green", "blue"},
	"keys":       map[string]string{"semi": ";", "dot": ".", "comma": ","},
	"v":          "6",
	"x":          "1024",
	"y":          "768",
	"empty":      "",
	"empty_keys": map[string]string{},
	"undef":      nil,
}

// TestExpandRFCExamples is an offline selection of the RFC's examples, from
// every section and operator.
func TestExpandRFCExamples(t *testing.T) {
	t.Parallel()
	tests := []struct{ tmpl, want string }{
		// 3.2.1 variable expansion
		{"{count}", "one,two,three"},
		{"{count*}", "one,two,three"},
		{"{/count}", "/one,two,three"},
		{"{/count*}", "/one/two/three"},
		{"{;count}", ";count=one,two,three"},
		{"{;count*}", ";count=one;count=two;count=three"},
		{"{?count}", "?count=one,two,three"},
		{"{?count*}", "?count=one&count=two&count=three"},
		{"{&count*}", "&count=one&count=two&count=three"},
		// 3.2.2 simple string expansion
		{"{var}", "value"},
		{"{hello}", "Hello%20World%21"},
		{"{half}", "50%25"},
		{"O{empty}X", "OX"},
		{"O{undef}X", "OX"},
		{"{x,y}", "1024,768"},
		{"{x,hello,y}", "1024,Hello%20World%21,768"},
		{"?{x,empty}", "?1024,"},
		{"?{x,undef}", "?1024"},
		{"?{undef,y}", "?768"},
		{"{var:3}", "val"},
		{"{var:30}", "value"},
		{"{list}", "red,green,blue"},
		{"{list*}", "red,green,blue"},
		{"{keys}", "comma,%2C,dot,.,semi,%3B"},
		{"{keys*}", "comma=%2C,dot=.,semi=%3B"},
		// 3.2.3 reserved expansion
		{"{+var}", "value"},
		{"{+hello}", "Hello%20World!"},
		{"{+half}", "50%25"},
		{"{base}index", "http%3A%2F%2Fexample.com%2Fhome%2Findex"},
		{"{+base}index", "http://example.com/home/index"},
		{"O{+empty}X", "OX"},
		{"O{+undef}X", "OX"},
		{"{+path}/here", "/foo/bar/here"},
		{"here?ref={+path}", "here?ref=/foo/bar"},
		{"up{+path}{var}/here", "up/foo/barvalue/here"},
		{"{+x,hello,y}", "1024,Hello%20World!,768"},
		{"{+path,x}/here", "/foo/bar,1024/here"},
		{"{+path:6}/here", "/foo/b/here"},
		{"{+list}", "red,green,blue"},
		{"{+list*}", "red,green,blue"},
		{"{+keys}", "comma,,,dot,.,semi,;"},
		{"{+keys*}", "comma=,,dot=.,semi=;"},
		// 3.2.4 fragment expansion
		{"{#var}", "#value"},
		{"{#hello}", "#Hello%20World!"},
		{"{#half}", "#50%25"},
		{"foo{#empty}", "foo#"},
		{"foo{#undef}", "foo"},
		{"{#x,hello,y}", "#1024,Hello%20World!,768"},
		{"{#path,x}/here", "#/foo/bar,1024/here"},
		{"{#path:6}/here", "#/foo/b/here"},
		{"{#list}", "#red,green,blue"},
		{"{#list*}", "#red,green,blue"},
		{"{#keys}", "#comma,,,dot,.,semi,;"},
		{"{#keys*}", "#comma=,,dot=.,semi=;"},
		// 3.2.5 label expansion
		{"{.who}", ".fred"},
		{"{.who,who}", ".fred.fred"},
		{"{.half,who}", ".50%25.fred"},
		{"www{.dom*}", "www.example.com"},
		{"X{.var}", "X.value"},
		{"X{.empty}", "X."},
		{"X{.undef}", "X"},
		{"X{.var:3}", "X.val"},
		{"X{.list}", "X.red,green,blue"},
		{"X{.list*}", "X.red.green.blue"},
		{"X{.keys}", "X.comma,%2C,dot,.,semi,%3B"},
		{"X{.keys*}", "X.comma=%2C.dot=..semi=%3B"},
		{"X{.empty_keys}", "X"},
		{"X{.empty_keys*}", "X"},
		// 3.2.6 path segment expansion
		{"{/who}", "/fred"},
		{"{/who,who}", "/fred/fred"},
		{"{/half,who}", "/50%25/fred"},
		{"{/who,dub}", "/fred/me%2Ftoo"},
		{"{/var}", "/value"},
		{"{/var,empty}", "/value/"},
		{"{/var,undef}", "/value"},
		{"{/var,x}/here", "/value/1024/here"},
		{"{/var:1,var}", "/v/value"},
		{"{/list}", "/red,green,blue"},
		{"{/list*}", "/red/green/blue"},
		{"{/list*,path:4}", "/red/green/blue/%2Ffoo"},
		{"{/keys}", "/comma,%2C,dot,.,semi,%3B"},
		{"{/keys*}", "/comma=%2C/dot=./semi=%3B"},
		// 3.2.7 path-style parameter expansion
		{"{;who}", ";who=fred"},
		{"{;half}", ";half=50%25"},
		{"{;empty}", ";empty"},
		{"{;v,empty,who}", ";v=6;empty;who=fred"},
		{"{;v,bar,who}", ";v=6;who=fred"},
		{"{;x,y}", ";x=1024;y=768"},
		{"{;x,y,empty}", ";x=1024;y=768;empty"},
		{"{;x,y,undef}", ";x=1024;y=768"},
		{"{;hello:5}", ";hello=Hello"},
		{"{;list}", ";list=red,green,blue"},
		{"{;list*}", ";list=red;list=green;list=blue"},
		{"{;keys}", ";keys=comma,%2C,dot,.,semi,%3B"},
		{"{;keys*}", ";comma=%2C;dot=.;semi=%3B"},
		// 3.2.8 form-style query expansion
		{"{?who}", "?who=fred"},
		{"{?half}", "?half=50%25"},
		{"{?x,y}", "?x=1024&y=768"},
		{"{?x,y,empty}", "?x=1024&y=768&empty="},
		{"{?x,y,undef}", "?x=1024&y=768"},
		{"{?var:3}", "?var=val"},
		{"{?list}", "?list=red,green,blue"},
		{"{?list*}", "?list=red&list=green&list=blue"},
		{"{?keys}", "?keys=comma,%2C,dot,.,semi,%3B"},
		{"{?keys*}", "?comma=%2C&dot=.&semi=%3B"},
		// 3.2.9 form-style query continuation
		{"{&who}", "&who=fred"},
		{"{&half}", "&half=50%25"},
		{"?fixed=yes{&x}", "?fixed=yes&x=1024"},
		{"{&x,y,empty}", "&x=1024&y=768&empty="},
		{"{&var:3}", "&var=val"},
		{"{&list}", "&list=red,green,blue"},
		{"{&list*}", "&list=red&list=green&list=blue"},
		{"{&keys}", "&keys=comma,%2C,dot,.,semi,%3B"},
		{"{&keys*}", "&comma=%2C&dot=.&semi=%3B"},
		// every variable undefined: the whole expression vanishes
		{"a{?undef,empty_keys}b", "ab"},
		{"a{/undef}{;undef}{#undef}{.undef}{&undef}{+undef}b", "ab"},
		// literals
		{"'{var}'", "'value'"},
		{"", ""},
		{"no/expressions/here", "no/expressions/here"},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			t.Parallel()
			got, err := MustParse(tt.tmpl).Expand(rfcVars)
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Expand(%q) mismatch (-want +got):\n%s", tt.tmpl, diff)
			}
		})
	}
}

// TestExpandEncoding covers pct-encoding: Unicode, pct-encoded triplets in
// reserved expansion, prefixes counted in characters.
func TestExpandEncoding(t *testing.T) {
	t.Parallel()
	vars := map[string]any{
		"word":    "drücken",
		"greek":   "αβγδε",
		"clef":    "𝄞stave",
		"pct":     "admin%2F",
		"lower":   "a%2fb",
		"lone":    "%foo",
		"tail":    "50%2",
		"split":   "%2Fab",
		"invalid": "a\xffb",
		"dots":    "a/../b",
		"space":   "a b+c",
		"list":    []string{"red%25", "%2Fgreen", "blue "},
		"keys":    map[string]string{"k y": "v/1%2F"},
	}
	tests := []struct{ tmpl, want string }{
		{"{word}", "dr%C3%BCcken"},
		{"{?word}", "?word=dr%C3%BCcken"},
		{"{greek:2}", "%CE%B1%CE%B2"},
		{"{+greek:2}", "%CE%B1%CE%B2"},
		{"{clef:1}", "%F0%9D%84%9E"},
		{"{clef:2}", "%F0%9D%84%9Es"},
		{"{pct}", "admin%252F"},
		{"{+pct}", "admin%2F"},
		{"{#pct}", "#admin%2F"},
		{"{+lower}", "a%2fb"}, // a triplet is copied as it is
		{"{+lone}", "%25foo"},
		{"{lone}", "%25foo"},
		{"{+tail}", "50%252"},
		{"{+split:1}", "%2F"}, // a triplet counts as one character: never split
		{"{+split:2}", "%2Fa"},
		{"{split:1}", "%25"},
		{"{invalid}", "a%FFb"},
		{"{invalid:2}", "a%FF"},
		{"{dots}", "a%2F..%2Fb"},
		{"{/dots}", "/a%2F..%2Fb"},
		{"{space}", "a%20b%2Bc"},
		{"{+space}", "a%20b+c"},
		{"{+list}", "red%25,%2Fgreen,blue%20"},
		{"{list}", "red%2525,%252Fgreen,blue%20"},
		{"{keys*}", "k%20y=v%2F1%252F"},
		{"{+keys*}", "k%20y=v/1%2F"},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			t.Parallel()
			got, err := MustParse(tt.tmpl).Expand(vars)
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Expand(%q) mismatch (-want +got):\n%s", tt.tmpl, diff)
			}
		})
	}
}

// TestExpandSeed is the wechatpay seed example: keys that the template does
// not use are ignored.
func TestExpandSeed(t *testing.T) {
	t.Parallel()
	tmpl := MustParse("v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare")
	got, err := tmpl.Expand(map[string]any{
		"card_id": "478515832665",
		"code":    "478515832665",
		"json":    map[string]any{"bonus_value": 30},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "v3/marketing/membercard-open/cards/478515832665/codes/478515832665/bonus/prepare"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if got, err := tmpl.Expand(nil); err != nil || got != "v3/marketing/membercard-open/cards//codes//bonus/prepare" {
		t.Errorf("Expand(nil) = %q, %v; want the undefined variables omitted", got, err)
	}
}

func TestAppendExpand(t *testing.T) {
	t.Parallel()
	tmpl := MustParse("/v3/{id}{?a}")
	buf := []byte("https://api.example.com")
	got, err := tmpl.AppendExpand(buf, map[string]any{"id": "A B", "a": 1})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("https://api.example.com/v3/A%20B?a=1", string(got)); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	// On error the buffer comes back at its original length.
	got, err = tmpl.AppendExpand(buf, map[string]any{"id": "x", "a": make(chan int)})
	if err == nil {
		t.Fatal("AppendExpand with a chan value succeeded")
	}
	if diff := cmp.Diff("https://api.example.com", string(got)); diff != "" {
		t.Errorf("buffer after error (-want +got):\n%s", diff)
	}
}

// TestExpandConcurrent shares one Template between goroutines (run with
// -race).
func TestExpandConcurrent(t *testing.T) {
	t.Parallel()
	tmpl := MustParse("v3/{id}{?list*,keys*}")
	vars := map[string]any{"id": "a b", "list": []int{1, 2}, "keys": map[string]string{"k": "v"}}
	const want = "v3/a%20b?list=1&list=2&k=v"
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 100 {
				got, err := tmpl.Expand(vars)
				if err == nil && got != want {
					err = errors.New("got " + got)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
