package template

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxPrefix is the largest prefix modifier RFC 6570 allows (max-length is at
// most four digits).
const maxPrefix = 9999

// Parse parses s as an RFC 6570 URI Template (levels 1 to 4).
//
// Literal text outside expressions is copied when it is allowed in a URI
// (unreserved and reserved characters, pct-encoded triplets); spaces, the
// other printable ASCII characters a URI may not hold (`"<>\^` and backquote,
// and "|"), a "%" that does not start a pct-encoded triplet, and non-ASCII
// characters are pct-encoded as UTF-8. Control characters and invalid UTF-8
// are syntax errors, as are a stray "}", an unclosed "{", empty expressions,
// reserved operators ("=", ",", "!", "@", "|"), malformed variable names and
// malformed prefix modifiers. Every error is an [*Error] that names the byte
// offset of the problem and matches [ErrTemplate].
func Parse(s string) (*Template, error) {
	t := &Template{src: s}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.parts = append(t.parts, part{lit: lit.String()})
			t.litLen += lit.Len()
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '{':
			end := strings.IndexByte(s[i+1:], '}')
			if end < 0 {
				return nil, syntaxError(s, i, "unclosed expression")
			}
			flush()
			p, err := parseExpression(s, i+1, i+1+end)
			if err != nil {
				return nil, err
			}
			t.parts = append(t.parts, p)
			t.nvars += len(p.specs)
			for _, vs := range p.specs {
				t.addName(vs.name)
			}
			i += end + 2
		case c == '}':
			return nil, syntaxError(s, i, "unexpected '}' outside an expression")
		case c == '%':
			if isPctTriplet(s, i) {
				lit.WriteString(s[i : i+3])
				i += 3
			} else {
				lit.WriteString("%25")
				i++
			}
		case c < utf8.RuneSelf:
			switch {
			case uriSet[c]:
				lit.WriteByte(c)
			case c < 0x20 || c == 0x7F:
				return nil, syntaxError(s, i, fmt.Sprintf("control character %s in literal", describeByte(c)))
			default: // space and the printable ASCII a URI may not hold
				lit.Write(appendPct(nil, c))
			}
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return nil, syntaxError(s, i, fmt.Sprintf("invalid UTF-8 byte %s in literal", describeByte(c)))
			}
			var buf [3 * utf8.UTFMax]byte
			enc := buf[:0]
			for j := range size {
				enc = appendPct(enc, s[i+j])
			}
			lit.Write(enc)
			i += size
		}
	}
	flush()
	return t, nil
}

func (t *Template) addName(name string) {
	for _, n := range t.names {
		if n == name {
			return
		}
	}
	t.names = append(t.names, name)
}

// parseExpression parses the expression s[start:end], the text between "{"
// and "}".
func parseExpression(s string, start, end int) (part, error) {
	if start == end {
		return part{}, syntaxError(s, start-1, "empty expression")
	}
	p := part{op: &opSimple}
	i := start
	switch c := s[i]; {
	case operatorFor(c) != nil:
		p.op = operatorFor(c)
		i++
	case isReservedOperator(c):
		return part{}, syntaxError(s, i, fmt.Sprintf("reserved operator %q", c))
	}
	for {
		vs, next, err := parseVarspec(s, i, end)
		if err != nil {
			return part{}, err
		}
		p.specs = append(p.specs, vs)
		i = next
		if i == end {
			return p, nil
		}
		// parseVarspec stops only at the end or at a ",".
		i++
	}
}

// parseVarspec parses one varspec starting at s[i], ending before end or a
// ",". It returns the index just after it.
func parseVarspec(s string, i, end int) (varspec, int, error) {
	start := i
name:
	for i < end {
		c := s[i]
		switch {
		case varcharSet[c]:
			i++
		case c == '%':
			if i+2 >= end || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return varspec{}, 0, syntaxError(s, i, "invalid pct-encoding in variable name")
			}
			i += 3
		case c == '.':
			if i == start {
				return varspec{}, 0, syntaxError(s, i, "variable name starts with '.'")
			}
			if s[i-1] == '.' {
				return varspec{}, 0, syntaxError(s, i, "variable name has '..'")
			}
			i++
		default:
			break name
		}
	}
	if i == start {
		if i == end || s[i] == ',' {
			return varspec{}, 0, syntaxError(s, i, "missing variable name")
		}
		return varspec{}, 0, syntaxError(s, i, "invalid character "+describeAt(s, i)+" in variable name")
	}
	if s[i-1] == '.' {
		return varspec{}, 0, syntaxError(s, i-1, "variable name ends with '.'")
	}
	vs := varspec{name: s[start:i], offset: start}
	if i < end {
		switch s[i] {
		case '*':
			vs.explode = true
			i++
		case ':':
			i++
			digits := i
			for i < end && '0' <= s[i] && s[i] <= '9' {
				i++
			}
			n, err := strconv.Atoi(s[digits:i])
			switch {
			case digits == i:
				return varspec{}, 0, syntaxError(s, digits, "prefix modifier needs a length from 1 to 9999")
			case s[digits] == '0' || err != nil || n > maxPrefix:
				return varspec{}, 0, syntaxError(s, digits, "prefix length "+s[digits:i]+" is not between 1 and 9999 (no leading zeros)")
			}
			vs.prefix = n
			if i < end && s[i] == '*' {
				return varspec{}, 0, syntaxError(s, i, "explode modifier '*' cannot follow a prefix modifier")
			}
		}
	}
	if i < end && s[i] != ',' {
		return varspec{}, 0, syntaxError(s, i, "invalid character "+describeAt(s, i)+" after variable "+strconv.Quote(vs.name))
	}
	return vs, i, nil
}

// describeAt quotes the character at s[i] for an error message.
func describeAt(s string, i int) string {
	r, size := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && size == 1 {
		return describeByte(s[i])
	}
	if s[i] == '{' {
		return "'{' (expressions do not nest)"
	}
	return strconv.QuoteRune(r)
}

// describeByte names a byte for an error message: 0x7F, 0x0A...
func describeByte(c byte) string {
	return fmt.Sprintf("0x%02X", c)
}
