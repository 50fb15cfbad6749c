package template

// Character classes of RFC 3986 as used by RFC 6570, as 256-entry lookup
// tables indexed by byte.
var (
	// unreservedSet is ALPHA / DIGIT / "-" / "." / "_" / "~".
	unreservedSet = byteSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
	// uriSet is unreserved / reserved (gen-delims ":/?#[]@" and sub-delims
	// "!$&'()*+,;="): what may appear unencoded in a URI.
	uriSet = byteSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=")
	// varcharSet is ALPHA / DIGIT / "_", the unencoded characters of a
	// variable name apart from the "." between its parts.
	varcharSet = byteSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
)

func byteSet(chars string) (set [256]bool) {
	for i := 0; i < len(chars); i++ {
		set[chars[i]] = true
	}
	return set
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' || 'a' <= c && c <= 'f'
}

// isPctTriplet reports whether s[i:] starts with "%" HEXDIG HEXDIG.
func isPctTriplet(s string, i int) bool {
	return i+2 < len(s) && s[i] == '%' && isHex(s[i+1]) && isHex(s[i+2])
}

const upperHex = "0123456789ABCDEF"

// appendPct appends the pct-encoded triplet of c, with upper-case hex.
func appendPct(dst []byte, c byte) []byte {
	return append(dst, '%', upperHex[c>>4], upperHex[c&0x0F])
}
