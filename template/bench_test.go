package template

import (
	"net/url"
	"testing"
)

const seedTemplate = "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"

// seedVars are the seed request's options: the template variables plus keys
// such as "json" that the template does not use and Expand ignores.
var seedVars = map[string]any{
	"card_id": "478515832665",
	"code":    "478515832665",
	"json":    map[string]any{"bonus_value": 30},
	"headers": map[string]string{"Accept": "application/json"},
}

var benchSink string

func BenchmarkExpandSeed(b *testing.B) {
	tmpl := MustParse(seedTemplate)
	b.ReportAllocs()
	for b.Loop() {
		s, err := tmpl.Expand(seedVars)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = s
	}
}

func BenchmarkAppendExpandSeed(b *testing.B) {
	tmpl := MustParse(seedTemplate)
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		buf, err = tmpl.AppendExpand(buf[:0], seedVars)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExpandSeedNumbers uses integer values: still allocation-free but
// for the result.
func BenchmarkExpandSeedNumbers(b *testing.B) {
	tmpl := MustParse(seedTemplate)
	vars := map[string]any{"card_id": int64(478515832665), "code": 478515832665}
	b.ReportAllocs()
	for b.Loop() {
		s, err := tmpl.Expand(vars)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = s
	}
}

// BenchmarkBaselineConcat is the floor to compare with: hand-written
// concatenation with url.PathEscape, no template.
func BenchmarkBaselineConcat(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = "v3/marketing/membercard-open/cards/" + url.PathEscape(seedVars["card_id"].(string)) +
			"/codes/" + url.PathEscape(seedVars["code"].(string)) + "/bonus/prepare"
	}
}

func BenchmarkParseSeed(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(seedTemplate); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExpandLevel4 exercises lists, maps and several operators.
func BenchmarkExpandLevel4(b *testing.B) {
	tmpl := MustParse("{+base}{/list*}{;keys*}{?q,page}{&list}{#frag}")
	vars := map[string]any{
		"base": "https://example.com/", "list": []string{"red", "green"},
		"keys": map[string]string{"a": "1", "b": "2"}, "q": "héllo world", "page": 2, "frag": "top",
	}
	b.ReportAllocs()
	for b.Loop() {
		s, err := tmpl.Expand(vars)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = s
	}
}
