package template

// operator holds the expansion behaviour of one RFC 6570 expression operator
// (the table of RFC 6570 Appendix A).
type operator struct {
	first         string // written before the first defined variable
	sep           byte   // written between defined variables (and exploded items)
	named         bool   // variables are written as name=value
	ifEmpty       string // written after the name when the value is empty
	allowReserved bool   // reserved characters and pct-encoded triplets pass unencoded
}

var (
	opSimple   = operator{first: "", sep: ',', named: false, ifEmpty: "", allowReserved: false}
	opReserved = operator{first: "", sep: ',', named: false, ifEmpty: "", allowReserved: true}
	opFragment = operator{first: "#", sep: ',', named: false, ifEmpty: "", allowReserved: true}
	opLabel    = operator{first: ".", sep: '.', named: false, ifEmpty: "", allowReserved: false}
	opPath     = operator{first: "/", sep: '/', named: false, ifEmpty: "", allowReserved: false}
	opParam    = operator{first: ";", sep: ';', named: true, ifEmpty: "", allowReserved: false}
	opQuery    = operator{first: "?", sep: '&', named: true, ifEmpty: "=", allowReserved: false}
	opQueryCon = operator{first: "&", sep: '&', named: true, ifEmpty: "=", allowReserved: false}
)

// operatorFor returns the operator named by c, or nil if c is not one.
func operatorFor(c byte) *operator {
	switch c {
	case '+':
		return &opReserved
	case '#':
		return &opFragment
	case '.':
		return &opLabel
	case '/':
		return &opPath
	case ';':
		return &opParam
	case '?':
		return &opQuery
	case '&':
		return &opQueryCon
	}
	return nil
}

// isReservedOperator reports whether c is one of the operator characters
// RFC 6570 section 2.2 reserves for future extensions.
func isReservedOperator(c byte) bool {
	switch c {
	case '=', ',', '!', '@', '|':
		return true
	}
	return false
}
