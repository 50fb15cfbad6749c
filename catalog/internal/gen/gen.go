// Package gen turns the catalog's source JSON (../shared/catalog in the
// project's layout) into the compact text the catalog package embeds.
//
// The text is UTF-8, one record per line, fields separated by tabs. Every
// record starts with a tag:
//
//	#  repository, commit, commit date, generator (the origin; first line)
//	E  method, path, api, title, page title, response kind, no content (0/1), source
//	D  a doc URL of the endpoint or webhook above
//	N  notice: kind, date, see (space separated)
//	A  an anomaly code
//	Q  request field, R response field, X error field, F webhook resource field,
//	   P webhook reply (response) field: name, type, required (0/1), depth,
//	   encrypted, encrypted_with, encoded, signed, value
//	W  webhook: event, page, api, title, format, encrypted field, encryption,
//	   source, variants (space separated)
//	M  moved endpoint page: path, api, moved to; m: the same for webhooks
//
// Placeholders and field parents are not stored: they follow from the path
// and from depth plus order. Generate refuses source data where they do
// not, and any text holding a tab or a line break, so the format needs no
// escaping.
package gen

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// field is a row of a request, response, errors or resource table.
type field struct {
	Name          string  `json:"name"`
	Type          string  `json:"type"`
	Required      bool    `json:"required"`
	Depth         int     `json:"depth"`
	Parent        *string `json:"parent"`
	Encrypted     string  `json:"encrypted"`
	EncryptedWith string  `json:"encrypted_with"`
	Encoded       string  `json:"encoded"`
	Signed        string  `json:"signed"`
	Value         string  `json:"value"`
}

type notice struct {
	Kind string   `json:"kind"`
	Date string   `json:"date"`
	See  []string `json:"see"`
}

type endpoint struct {
	Path         string   `json:"path"`
	Method       string   `json:"method"`
	API          string   `json:"api"`
	Title        string   `json:"title"`
	PageTitle    string   `json:"page_title"`
	Placeholders []string `json:"placeholders"`
	Request      []field  `json:"request"`
	Response     []field  `json:"response"`
	Errors       []field  `json:"errors"`
	NoContent    bool     `json:"no_content"`
	ResponseKind string   `json:"response_kind"`
	Docs         []string `json:"docs"`
	Notices      []notice `json:"notices"`
	Anomalies    []string `json:"anomalies"`
	Source       string   `json:"source"`

	// Left out of the embedded data: the PHP example's chain and options.
	Chain              json.RawMessage `json:"chain"`
	ExampleOnlyOptions []string        `json:"example_only_options"`
}

type webhook struct {
	Event          *string  `json:"event"`
	Page           string   `json:"page"`
	API            string   `json:"api"`
	Title          string   `json:"title"`
	Format         string   `json:"format"`
	EncryptedField *string  `json:"encrypted_field"`
	Encryption     *string  `json:"encryption"`
	Resource       []field  `json:"resource"`
	Response       []field  `json:"response"`
	Variants       []string `json:"variants"`
	Docs           []string `json:"docs"`
	Notices        []notice `json:"notices"`
	Anomalies      []string `json:"anomalies"`
	Source         string   `json:"source"`

	// Left out of the embedded data: always POST, and the whole inbound
	// table (headers and envelope) around Resource.
	Method  string          `json:"method"`
	Request json.RawMessage `json:"request"`
}

type moved struct {
	Path    string `json:"path"`
	API     string `json:"api"`
	MovedTo string `json:"moved_to"`
	Source  string `json:"source"`
}

type origin struct {
	Repository string `json:"repository"`
	Commit     string `json:"commit"`
	CommitDate string `json:"commit_date"`
	Generator  string `json:"generator"`
	Count      int    `json:"count"`
}

type endpointsFile struct {
	origin
	Endpoints []endpoint `json:"endpoints"`
	Moved     []moved    `json:"moved"`
}

type webhooksFile struct {
	origin
	Webhooks []webhook `json:"webhooks"`
	Moved    []moved   `json:"moved"`
}

// Generate returns the catalog text for the contents of endpoints.json and
// webhooks.json.
func Generate(endpointsJSON, webhooksJSON []byte) ([]byte, error) {
	var ef endpointsFile
	if err := strictUnmarshal(endpointsJSON, &ef); err != nil {
		return nil, fmt.Errorf("endpoints.json: %w", err)
	}
	var wf webhooksFile
	if err := strictUnmarshal(webhooksJSON, &wf); err != nil {
		return nil, fmt.Errorf("webhooks.json: %w", err)
	}
	if ef.Commit != wf.Commit {
		return nil, fmt.Errorf("endpoints.json is from commit %s but webhooks.json from %s", ef.Commit, wf.Commit)
	}
	if ef.Count != len(ef.Endpoints) || wf.Count != len(wf.Webhooks) {
		return nil, fmt.Errorf("counts disagree: endpoints %d/%d, webhooks %d/%d", ef.Count, len(ef.Endpoints), wf.Count, len(wf.Webhooks))
	}
	w := &writer{}
	w.record("#", ef.Repository, ef.Commit, ef.CommitDate, ef.Generator)
	for _, e := range ef.Endpoints {
		if got := placeholders(e.Path); !slices.Equal(got, e.Placeholders) && !(len(got) == 0 && len(e.Placeholders) == 0) {
			return nil, fmt.Errorf("%s %s: placeholders %q do not follow from the path (%q)", e.Method, e.Path, e.Placeholders, got)
		}
		w.record("E", e.Method, e.Path, e.API, e.Title, e.PageTitle, e.ResponseKind, flag(e.NoContent), e.Source)
		w.common(e.Docs, e.Notices, e.Anomalies)
		w.fields("Q", e.Request)
		w.fields("R", e.Response)
		w.fields("X", e.Errors)
		if w.err != nil {
			return nil, fmt.Errorf("%s %s: %w", e.Method, e.Path, w.err)
		}
	}
	for _, m := range ef.Moved {
		w.record("M", m.Path, m.API, m.MovedTo)
	}
	for _, h := range wf.Webhooks {
		w.record("W", str(h.Event), h.Page, h.API, h.Title, h.Format, str(h.EncryptedField), str(h.Encryption), h.Source, strings.Join(h.Variants, " "))
		w.common(h.Docs, h.Notices, h.Anomalies)
		w.fields("F", h.Resource)
		w.fields("P", h.Response)
		if w.err != nil {
			return nil, fmt.Errorf("webhook %s: %w", h.Page, w.err)
		}
	}
	for _, m := range wf.Moved {
		w.record("m", m.Path, m.API, m.MovedTo)
	}
	if w.err != nil {
		return nil, w.err
	}
	return w.buf.Bytes(), nil
}

// Compress gzips text reproducibly (no name, no time stamp).
func Compress(text []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(text); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// strictUnmarshal refuses unknown keys, so a new key in the source data is
// noticed rather than silently dropped.
func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// placeholders returns the {name}s of a catalog path, in order.
func placeholders(path string) []string {
	var names []string
	for _, seg := range strings.Split(path, "/") {
		if len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}' {
			names = append(names, seg[1:len(seg)-1])
		}
	}
	return names
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// writer accumulates records and the first error.
type writer struct {
	buf bytes.Buffer
	err error
}

func (w *writer) record(tag string, cols ...string) {
	w.buf.WriteString(tag)
	for _, c := range cols {
		if strings.ContainsAny(c, "\t\r\n") && w.err == nil {
			w.err = fmt.Errorf("value %q holds a tab or a line break", c)
		}
		w.buf.WriteByte('\t')
		w.buf.WriteString(c)
	}
	w.buf.WriteByte('\n')
}

func (w *writer) common(docs []string, notices []notice, anomalies []string) {
	for _, d := range docs {
		w.record("D", d)
	}
	for _, n := range notices {
		for _, s := range n.See {
			if strings.Contains(s, " ") && w.err == nil {
				w.err = fmt.Errorf("notice link %q holds a space", s)
			}
		}
		w.record("N", n.Kind, n.Date, strings.Join(n.See, " "))
	}
	for _, a := range anomalies {
		w.record("A", a)
	}
}

// fields writes a table, checking that every parent is the nearest
// preceding shallower row (so the reader can rebuild it).
func (w *writer) fields(tag string, rows []field) {
	var stack []field
	for _, f := range rows {
		for len(stack) > 0 && stack[len(stack)-1].Depth >= f.Depth {
			stack = stack[:len(stack)-1]
		}
		want := ""
		if len(stack) > 0 {
			want = stack[len(stack)-1].Name
		}
		if got := str(f.Parent); got != want && w.err == nil {
			w.err = fmt.Errorf("field %s: parent %q is not the nearest shallower row %q", f.Name, got, want)
		}
		if (f.Parent == nil) != (len(stack) == 0) && w.err == nil {
			w.err = fmt.Errorf("field %s: parent null at depth %d", f.Name, f.Depth)
		}
		stack = append(stack, f)
		w.record(tag, f.Name, f.Type, flag(f.Required), strconv.Itoa(f.Depth), f.Encrypted, f.EncryptedWith, f.Encoded, f.Signed, f.Value)
	}
}
