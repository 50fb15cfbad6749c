package apiv2

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// MaxDepth is the deepest element nesting Decode accepts (the root is
// depth 1). WeChat Pay's answers are flat or nearly so.
const MaxDepth = 16

// MaxFields is the largest number of fields Decode accepts.
const MaxFields = 4096

// ErrUnsafeXML is wrapped when a document holds a DTD, an entity
// declaration or a processing instruction: constructs WeChat Pay never
// sends and that only serve entity-expansion and external-entity attacks.
// Decode refuses them without expanding anything. It wraps ErrXML.
var ErrUnsafeXML = fmt.Errorf("%w: unsafe construct", ErrXML)

// Decode parses a WeChat Pay XML document, <xml><k>v</k>…</xml>, into its
// fields. CDATA sections and the five predefined entities are decoded;
// any other entity, a DTD (<!DOCTYPE …>) or any directive, a processing
// instruction other than the leading XML declaration, a root other than
// <xml>, text directly inside the root, a repeated field, nesting deeper
// than MaxDepth or more than MaxFields fields are errors wrapping ErrXML.
// Indexed names such as coupon_fee_0 are ordinary fields. A field whose
// content holds elements keeps its inner XML verbatim as its value.
// Attributes are ignored. The caller bounds len(data).
func Decode(data []byte) (map[string]string, error) { return DecodeRoot(data, "xml") }

// DecodeRoot is Decode for a document whose root element is named root,
// such as the <root> plaintext of a refund notification's req_info.
func DecodeRoot(data []byte, root string) (map[string]string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	fields := make(map[string]string, 24)
	var (
		depth    int
		name     string // the depth-1 field being read
		text     []byte
		nested   bool
		inner    int64 // offset where the field's content starts
		seenRoot bool
		rootDone bool
		open     = make([]xml.Name, 0, 4) // the elements not yet closed
	)
	for {
		before := d.InputOffset()
		// RawToken skips namespace translation (a prefixed name is refused
		// below anyway); element nesting is checked against open.
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrXML, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			open = append(open, t.Name)
			if rootDone {
				return nil, fmt.Errorf("%w: content after the root element", ErrXML)
			}
			depth++
			if depth > MaxDepth {
				return nil, fmt.Errorf("%w: nesting deeper than %d", ErrXML, MaxDepth)
			}
			switch depth {
			case 1:
				if t.Name.Local != root || t.Name.Space != "" {
					return nil, fmt.Errorf("%w: root element <%s>, want <%s>", ErrXML, t.Name.Local, root)
				}
				seenRoot = true
			case 2:
				if t.Name.Space != "" {
					return nil, fmt.Errorf("%w: namespaced field <%s:%s>", ErrXML, t.Name.Space, t.Name.Local)
				}
				name, text, nested, inner = t.Name.Local, text[:0], false, d.InputOffset()
				if _, dup := fields[name]; dup {
					return nil, fmt.Errorf("%w: field %q appears more than once", ErrXML, name)
				}
				if len(fields) >= MaxFields {
					return nil, fmt.Errorf("%w: more than %d fields", ErrXML, MaxFields)
				}
			default:
				nested = true
			}
		case xml.EndElement:
			if len(open) == 0 || open[len(open)-1] != t.Name {
				return nil, fmt.Errorf("%w: unexpected end element </%s>", ErrXML, t.Name.Local)
			}
			open = open[:len(open)-1]
			depth--
			switch depth {
			case 0:
				rootDone = true
			case 1:
				if nested {
					fields[name] = string(data[inner:before])
				} else {
					fields[name] = string(text)
				}
			}
		case xml.CharData:
			switch {
			case depth == 2:
				text = append(text, t...)
			case depth < 2 && len(bytes.TrimSpace(t)) > 0:
				return nil, fmt.Errorf("%w: text outside the fields", ErrXML)
			}
		case xml.Directive:
			return nil, fmt.Errorf("%w: a <!%s directive", ErrUnsafeXML, firstWord(t))
		case xml.ProcInst:
			if t.Target != "xml" || before != 0 {
				return nil, fmt.Errorf("%w: processing instruction <?%s", ErrUnsafeXML, t.Target)
			}
		case xml.Comment:
		}
	}
	if !seenRoot || !rootDone {
		return nil, fmt.Errorf("%w: no complete <%s> root element", ErrXML, root)
	}
	return fields, nil
}

// firstWord returns the directive's keyword (DOCTYPE, ENTITY…), for
// messages that never echo the document.
func firstWord(b []byte) string {
	s := string(b)
	if i := strings.IndexAny(s, " \t\r\n["); i >= 0 {
		s = s[:i]
	}
	if len(s) > 16 {
		s = s[:16]
	}
	return s
}
