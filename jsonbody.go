package wechatpay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
	"unicode/utf8"
)

// jsonEncoder is a reusable encoder writing into its own buffer.
type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// maxPooledJSON is the largest buffer put back into jsonEncoders: a rare
// huge body is not kept alive by the pool.
const maxPooledJSON = 64 << 10

var jsonEncoders = sync.Pool{New: func() any {
	e := new(jsonEncoder)
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// marshalJSON encodes v as JSON without HTML escaping (WeChat Pay compares
// and signs the exact bytes; "<" stays "<"). The output is byte for byte
// what encoding/json's Encoder with SetEscapeHTML(false) writes, without
// the final newline. The encoder and its buffer are pooled; the result is
// a fresh slice of exactly the encoded bytes, owned by the caller.
func marshalJSON(v any) ([]byte, error) {
	e := jsonEncoders.Get().(*jsonEncoder)
	defer func() {
		if e.buf.Cap() <= maxPooledJSON {
			e.buf.Reset()
			jsonEncoders.Put(e)
		}
	}()
	if err := e.encode(v, 0); err != nil {
		return nil, fmt.Errorf("%w: option \"json\": %w", ErrTemplate, err)
	}
	return bytes.Clone(e.buf.Bytes()), nil
}

// maxMapDepth is how deep encode walks nested M values itself; below it,
// encoding/json takes over (and reports a map that contains itself).
const maxMapDepth = 32

// encode appends v to the buffer. An M (map[string]any), the usual body,
// is written here: encoding/json would reflect over it and allocate for
// every key and value; its keys are sorted and escaped exactly as
// encoding/json does. Everything else is encoding/json's.
func (e *jsonEncoder) encode(v any, depth int) error {
	m, ok := v.(map[string]any)
	if !ok || depth >= maxMapDepth {
		if err := e.enc.Encode(v); err != nil {
			return err
		}
		e.buf.Truncate(e.buf.Len() - 1) // Encode ends with a newline
		return nil
	}
	if m == nil {
		e.buf.WriteString("null")
		return nil
	}
	var stack [16]string
	e.buf.WriteByte('{')
	for i, k := range sortedKeys(stack[:0], m) {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		e.buf.Write(appendJSONString(e.buf.AvailableBuffer(), k))
		e.buf.WriteByte(':')
		if err := e.encode(m[k], depth+1); err != nil {
			return err
		}
	}
	e.buf.WriteByte('}')
	return nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way encoding/json writes
// it with HTML escaping off: '"' and '\\' escaped, \b \f \n \r \t by name,
// other control characters as \u00XX, invalid UTF-8 as \ufffd, and U+2028
// and U+2029 as \u2028 and \u2029.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
