package catalog

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// packed is the generated data (see data/README.md).
//
//go:embed data/catalog.tsv.gz
var packed []byte

// database is the decoded catalog with its indexes.
type database struct {
	source    Source
	endpoints []Endpoint
	exact     map[routeKey]int // method and path as catalogued -> index
	routes    *node            // path segments -> endpoints, for templates and concrete paths
	webhooks  []Webhook
	events    map[string]int    // event type and page -> index
	moved     map[string]string // moved endpoint or webhook page -> its new path
	schemas   []schemaSlot      // per endpoint, the JSON body's field tree, built on first use
}

type routeKey struct{ method, path string }

var (
	loadOnce sync.Once
	loaded   *database
)

// db returns the catalog, decoding it on first use. The embedded data is
// checked by the package's tests; if it were ever corrupt, every use would
// panic with the reason, as a regexp.MustCompile of a constant does.
func db() *database {
	loadOnce.Do(func() {
		d, err := decode(packed)
		if err != nil {
			panic("catalog: the embedded data is corrupt (regenerate it with go generate ./catalog): " + err.Error())
		}
		loaded = d
	})
	return loaded
}

// decode gunzips and parses the embedded data.
func decode(gz []byte) (*database, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	return parse(string(text))
}

// parse reads the text format described in package internal/gen.
func parse(text string) (*database, error) {
	d := &database{
		exact:  make(map[routeKey]int, 1200),
		routes: &node{},
		events: make(map[string]int, 240),
		moved:  map[string]string{},
	}
	p := parser{}
	for lineNo := 1; text != ""; lineNo++ {
		var line string
		var found bool
		line, text, found = strings.Cut(text, "\n")
		if !found {
			return nil, fmt.Errorf("line %d: no final line break", lineNo)
		}
		if err := p.line(d, line); err != nil {
			return nil, fmt.Errorf("line %d: %w", lineNo, err)
		}
	}
	p.flush(d)
	if d.source.Commit == "" || len(d.endpoints) == 0 {
		return nil, fmt.Errorf("no origin line or no endpoints")
	}
	for i := range d.endpoints {
		e := &d.endpoints[i]
		k := routeKey{e.Method, e.Path}
		if _, dup := d.exact[k]; dup {
			return nil, fmt.Errorf("%s %s is catalogued twice", e.Method, e.Path)
		}
		d.exact[k] = i
		d.routes.insert(e.Path, e.Method, i)
	}
	for i, h := range d.webhooks {
		if h.Event != "" {
			d.events[h.Event] = i
		}
		d.events[h.Page] = i
	}
	d.schemas = make([]schemaSlot, len(d.endpoints))
	return d, nil
}

// parser holds the record being read: fields, docs and notices attach to
// the last endpoint or webhook.
type parser struct {
	ep *Endpoint
	wh *Webhook
	// The current table's tag and its open rows (the path from the top to
	// the last row), for parents.
	tag   string
	stack []Field
}

func (p *parser) flush(d *database) {
	if p.ep != nil {
		d.endpoints = append(d.endpoints, *p.ep)
		p.ep = nil
	}
	if p.wh != nil {
		d.webhooks = append(d.webhooks, *p.wh)
		p.wh = nil
	}
	p.tag, p.stack = "", p.stack[:0]
}

func (p *parser) line(d *database, line string) error {
	var buf [10]string
	cols := splitTabs(line, buf[:0])
	want := columns(cols[0])
	if want == 0 {
		return fmt.Errorf("unknown record %q", cols[0])
	}
	if len(cols) != want {
		return fmt.Errorf("record %s has %d columns, want %d", cols[0], len(cols), want)
	}
	switch tag := cols[0]; tag {
	case "#":
		d.source = Source{Repository: cols[1], Commit: cols[2], CommitDate: cols[3], Generator: cols[4]}
	case "E":
		p.flush(d)
		p.ep = &Endpoint{
			Method: cols[1], Path: cols[2], API: cols[3], Title: cols[4], PageTitle: cols[5],
			ResponseKind: cols[6], NoContent: cols[7] == "1", Source: cols[8],
			Placeholders: placeholders(cols[2]),
		}
	case "W":
		p.flush(d)
		p.wh = &Webhook{
			Event: cols[1], Page: cols[2], API: cols[3], Title: cols[4], Format: cols[5],
			EncryptedField: cols[6], Encryption: cols[7], Source: cols[8], Variants: words(cols[9]),
		}
	case "D", "N", "A":
		docs, notices, anomalies := p.common()
		if docs == nil {
			return fmt.Errorf("record %s outside an endpoint or webhook", tag)
		}
		switch tag {
		case "D":
			*docs = append(*docs, cols[1])
		case "N":
			*notices = append(*notices, Notice{Kind: cols[1], Date: cols[2], See: words(cols[3])})
		case "A":
			*anomalies = append(*anomalies, cols[1])
		}
	case "Q", "R", "X", "F", "P":
		table := p.table(tag)
		if table == nil {
			return fmt.Errorf("field record %s outside its endpoint or webhook", tag)
		}
		f, err := p.field(tag, cols[1:])
		if err != nil {
			return err
		}
		*table = append(*table, f)
	case "M", "m":
		p.flush(d)
		d.moved[cols[1]] = cols[3]
	}
	return nil
}

// columns returns the number of tab-separated columns of a record,
// its tag included; 0 for an unknown tag.
func columns(tag string) int {
	switch tag {
	case "D", "A":
		return 2
	case "N", "M", "m":
		return 4
	case "#":
		return 5
	case "E":
		return 9
	case "Q", "R", "X", "F", "P", "W":
		return 10
	}
	return 0
}

// common returns the doc, notice and anomaly lists of the current record.
func (p *parser) common() (*[]string, *[]Notice, *[]string) {
	switch {
	case p.ep != nil:
		return &p.ep.Docs, &p.ep.Notices, &p.ep.Anomalies
	case p.wh != nil:
		return &p.wh.Docs, &p.wh.Notices, &p.wh.Anomalies
	}
	return nil, nil, nil
}

// table returns the field list a tag appends to.
func (p *parser) table(tag string) *[]Field {
	switch {
	case p.ep != nil && tag == "Q":
		return &p.ep.Request
	case p.ep != nil && tag == "R":
		return &p.ep.Response
	case p.ep != nil && tag == "X":
		return &p.ep.Errors
	case p.wh != nil && tag == "F":
		return &p.wh.Resource
	case p.wh != nil && tag == "P":
		return &p.wh.Response
	}
	return nil
}

// field decodes a field record, computing its parent from the rows before
// it in the same table.
func (p *parser) field(tag string, c []string) (Field, error) {
	depth, err := strconv.Atoi(c[3])
	if err != nil || depth < 0 {
		return Field{}, fmt.Errorf("field %s: bad depth %q", c[0], c[3])
	}
	if c[2] != "0" && c[2] != "1" {
		return Field{}, fmt.Errorf("field %s: bad required flag %q", c[0], c[2])
	}
	if tag != p.tag {
		p.tag, p.stack = tag, p.stack[:0]
	}
	for len(p.stack) > 0 && p.stack[len(p.stack)-1].Depth >= depth {
		p.stack = p.stack[:len(p.stack)-1]
	}
	f := Field{
		Name: c[0], Type: c[1], Required: c[2] == "1", Depth: depth,
		Encrypted: c[4], EncryptedWith: c[5], Encoded: c[6], Signed: c[7], Value: c[8],
	}
	if len(p.stack) > 0 {
		f.Parent = p.stack[len(p.stack)-1].Name
	}
	p.stack = append(p.stack, f)
	return f, nil
}

// splitTabs splits line at tabs into buf (no allocation for up to
// cap(buf) columns).
func splitTabs(line string, buf []string) []string {
	for {
		col, rest, more := strings.Cut(line, "\t")
		buf = append(buf, col)
		if !more {
			return buf
		}
		line = rest
	}
}

// placeholders returns the {name}s of a catalog path, in order.
func placeholders(path string) []string {
	var names []string
	for rest := path; rest != ""; {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		if isPlaceholder(seg) {
			names = append(names, seg[1:len(seg)-1])
		}
	}
	return names
}

// isPlaceholder reports whether a path segment is a whole {name}.
func isPlaceholder(seg string) bool {
	return len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}'
}

// words splits a space-separated list; nil when empty.
func words(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, " ")
}
