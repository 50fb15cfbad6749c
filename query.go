package wechatpay

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/wechatpay-chain/wechatpay/template"
)

// encodeQuery encodes the "query" option. The encoding (keys sorted, values
// escaped with url.QueryEscape) is done once: the result is what goes on the
// wire and so what is signed. The values of a map[string]any are turned
// into text by template.Format, the formatter of template variables, so a
// value reads the same in the path and in the query.
func encodeQuery(v any) (string, error) {
	switch q := v.(type) {
	case nil:
		return "", nil
	case url.Values:
		return q.Encode(), nil
	case map[string]string:
		var b strings.Builder
		n := 0
		for k, v := range q {
			n += len(k) + len(v) + 2
		}
		b.Grow(n) // the usual unescaped query: one allocation
		var keys [8]string
		for _, k := range sortedKeys(keys[:0], q) {
			appendQueryPair(&b, k, q[k])
		}
		return b.String(), nil
	case map[string]any:
		var b strings.Builder
		var keys [8]string
		for _, k := range sortedKeys(keys[:0], q) {
			texts, err := queryTexts(q[k])
			if err != nil {
				return "", fmt.Errorf("%w: option \"query\": key %q: %w", ErrTemplate, k, err)
			}
			for _, s := range texts {
				appendQueryPair(&b, k, s)
			}
		}
		return b.String(), nil
	default:
		return "", fmt.Errorf("%w: option \"query\": unsupported type %T (want url.Values, map[string]string or map[string]any)", ErrTemplate, v)
	}
}

// queryTexts formats one value of a map[string]any query: a scalar is one
// pair, a list one pair per defined member; an undefined value and a map
// are errors.
func queryTexts(v any) ([]string, error) {
	kind, texts, err := template.Format(v)
	switch {
	case err != nil:
		return nil, err
	case kind == template.Undefined:
		return nil, fmt.Errorf("undefined value %T (nil, a nil pointer, an empty list or map, or one of only nil members)", v)
	case kind == template.Map:
		return nil, fmt.Errorf("a map (%T) has no query form; give its pairs as keys of the query", v)
	}
	return texts, nil
}

func appendQueryPair(b *strings.Builder, k, v string) {
	if b.Len() > 0 {
		b.WriteByte('&')
	}
	b.WriteString(url.QueryEscape(k))
	b.WriteByte('=')
	b.WriteString(url.QueryEscape(v))
}

// sortedKeys appends the keys of m to dst and sorts them. Given a small
// array of the caller's, the usual query of a few keys costs no
// allocation.
func sortedKeys[V any](dst []string, m map[string]V) []string {
	for k := range m {
		dst = append(dst, k)
	}
	slices.Sort(dst)
	return dst
}
