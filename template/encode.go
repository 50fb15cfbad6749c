package template

import "unicode/utf8"

// appendEncoded appends s to dst, pct-encoding every byte that the operator
// does not allow unencoded, with upper-case hex. Non-ASCII characters are
// encoded as the pct-encoded bytes of their UTF-8 form (bytes of invalid
// UTF-8 are encoded one by one).
//
// With allowReserved (operators "+" and "#"), reserved characters pass
// unencoded and a pct-encoded triplet already in s is copied as it is, never
// double-encoded; a "%" that starts no triplet becomes "%25".
//
// A prefix > 0 keeps at most that many characters of s: Unicode characters,
// not bytes, and, with allowReserved, a pct-encoded triplet counts as one
// character so that it is never split.
func appendEncoded(dst []byte, s string, allowReserved bool, prefix int) []byte {
	allowed := &unreservedSet
	if allowReserved {
		allowed = &uriSet
	}
	if prefix <= 0 {
		// Fast path: most values need no encoding at all.
		i := 0
		for i < len(s) && allowed[s[i]] {
			i++
		}
		dst = append(dst, s[:i]...)
		s = s[i:]
		prefix = len(s) + 1 // no limit: a character takes at least a byte
	}
	for i, n := 0, 0; i < len(s) && n < prefix; n++ {
		c := s[i]
		switch {
		case allowed[c]:
			dst = append(dst, c)
			i++
		case c == '%' && allowReserved && isPctTriplet(s, i):
			dst = append(dst, s[i:i+3]...)
			i += 3
		case c < utf8.RuneSelf:
			dst = appendPct(dst, c)
			i++
		default:
			_, size := utf8.DecodeRuneInString(s[i:])
			for end := i + size; i < end; i++ {
				dst = appendPct(dst, s[i])
			}
		}
	}
	return dst
}
