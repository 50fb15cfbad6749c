package wechatpay

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// encodeQuery encodes the "query" option. The encoding (keys sorted, values
// escaped with url.QueryEscape) is done once: the result is what goes on the
// wire and so what is signed.
func encodeQuery(v any) (string, error) {
	switch q := v.(type) {
	case nil:
		return "", nil
	case url.Values:
		return q.Encode(), nil
	case map[string]string:
		keys := sortedKeys(q)
		var b strings.Builder
		for _, k := range keys {
			appendQueryPair(&b, k, q[k])
		}
		return b.String(), nil
	case map[string]any:
		keys := sortedKeys(q)
		var b strings.Builder
		for _, k := range keys {
			switch vals := q[k].(type) {
			case []string:
				for _, s := range vals {
					appendQueryPair(&b, k, s)
				}
			case []any:
				for i, item := range vals {
					s, ok := formatScalar(item)
					if !ok {
						return "", fmt.Errorf("%w: query %q[%d]: unsupported value type %T", ErrTemplate, k, i, item)
					}
					appendQueryPair(&b, k, s)
				}
			default:
				s, ok := formatScalar(vals)
				if !ok {
					return "", fmt.Errorf("%w: query %q: unsupported value type %T", ErrTemplate, k, vals)
				}
				appendQueryPair(&b, k, s)
			}
		}
		return b.String(), nil
	default:
		return "", fmt.Errorf("%w: option \"query\": unsupported type %T (want url.Values, map[string]string or map[string]any)", ErrTemplate, v)
	}
}

func appendQueryPair(b *strings.Builder, k, v string) {
	if b.Len() > 0 {
		b.WriteByte('&')
	}
	b.WriteString(url.QueryEscape(k))
	b.WriteByte('=')
	b.WriteString(url.QueryEscape(v))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// formatScalar formats a query value. nil and composite values are refused.
func formatScalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case int:
		return strconv.FormatInt(int64(x), 10), true
	case int8:
		return strconv.FormatInt(int64(x), 10), true
	case int16:
		return strconv.FormatInt(int64(x), 10), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case uint:
		return strconv.FormatUint(uint64(x), 10), true
	case uint8:
		return strconv.FormatUint(uint64(x), 10), true
	case uint16:
		return strconv.FormatUint(uint64(x), 10), true
	case uint32:
		return strconv.FormatUint(uint64(x), 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case fmt.Stringer:
		return x.String(), true
	}
	return "", false
}
