package wechatpaytest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/wechatpay-chain/wechatpay/catalog"
)

// WithoutCatalog turns off the catalog routes: the server then answers only
// its built-in routes and those added with [Server.Handle], and 404 for
// every other path.
//
// By default the server answers every APIv3 endpoint of package catalog
// that no built-in or Handle route serves, so a test or a demo can call any
// documented endpoint: the required request fields (path, query, JSON body,
// multipart parts) are checked, a missing or mistyped one answered 400
// PARAM_ERROR naming it, and the answer is signed and shaped by the
// catalog: every documented response field present with a value of its
// type (strings echo a request value of the same name where there is one;
// fields the catalog marks encrypted for the merchant are RSA-OAEP
// ciphertext under the merchant key), 204 where the catalog documents no
// content, and a small file for file downloads (unsigned where WeChat Pay
// does not sign, statement-signed for overseas statements).
func WithoutCatalog() Option { return func(c *config) { c.noCatalog = true } }

// catalogRoute finds the catalogued APIv3 endpoint for method and relPath.
// When the path is catalogued for other methods only, allowed lists them.
func (s *Server) catalogRoute(method, relPath string) (h Handler, vars map[string]string, allowed []string) {
	if s.noCatalog || !strings.HasPrefix(relPath, "v3/") {
		return nil, nil, nil
	}
	ep, ok := catalog.Lookup(method, relPath)
	if !ok {
		return nil, nil, catalog.Methods(relPath)
	}
	vars, ok = parsePattern(ep.Path).match(relPath)
	if !ok { // the catalog matched a segment the pattern could not decode
		return nil, nil, nil
	}
	return func(r *Request) Reply { return s.catalogAnswer(ep, r) }, vars, nil
}

// catalogAnswer checks r's required fields and answers as ep documents.
func (s *Server) catalogAnswer(ep catalog.Endpoint, r *Request) Reply {
	if bad := checkCatalogRequest(ep, r); bad != nil {
		return *bad
	}
	switch ep.ResponseKind {
	case "no_content":
		return NoContent()
	case "file":
		return s.catalogFile(ep, r)
	}
	if ep.NoContent || len(ep.Response) == 0 {
		return NoContent()
	}
	f := filler{s: s, echo: echoValues(r)}
	return JSON(http.StatusOK, f.object(tree(ep.Response)))
}

// checkCatalogRequest answers 400 PARAM_ERROR for the first required field
// r lacks, or a body value of the wrong type.
func checkCatalogRequest(ep catalog.Endpoint, r *Request) *Reply {
	upload := false
	for _, f := range ep.Request {
		switch {
		case f.Parent == "query" && f.Depth == 1 && f.Required && !r.Query.Has(f.Name):
			rp := FailDetail(http.StatusBadRequest, "PARAM_ERROR", f.Name+": is required",
				M{"field": f.Name, "location": "query", "issue": "is required"})
			return &rp
		case f.Parent == "body" && f.Depth == 1:
			upload = true
			if _, ok := r.Part(f.Name); f.Required && !ok {
				return paramError(f.Name, "the multipart/form-data part is required", nil)
			}
		}
	}
	if upload {
		return checkMeta(ep, r)
	}
	return checkProblems(catalog.Validate(ep.Method, ep.Path, r.Body), "body")
}

// checkMeta checks that the meta part of an upload is a JSON object with
// the required members the catalog lists below it.
func checkMeta(ep catalog.Endpoint, r *Request) *Reply {
	raw, ok := r.Part("meta")
	if !ok {
		return nil // no meta documented (a missing required one was answered above)
	}
	var meta map[string]any
	if json.Unmarshal(raw, &meta) != nil || meta == nil {
		return paramError("meta", "must be a JSON object", nil)
	}
	for _, f := range ep.Request {
		if f.Parent == "meta" && f.Depth == 2 && f.Required && meta[f.Name] == nil {
			return paramError("meta."+f.Name, "is required", nil)
		}
	}
	return nil
}

// checkProblems turns the first missing, mistyped or malformed field of a
// catalog.Validate error into a 400 PARAM_ERROR. Unknown fields and plain
// text where ciphertext is documented are let through, as the catalog may
// lag behind the API.
func checkProblems(err error, location string) *Reply {
	var ve *catalog.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	for _, p := range ve.Problems {
		switch p.Kind {
		case catalog.Missing, catalog.WrongType, catalog.Malformed, catalog.Null:
			field := p.Field
			if field == "" {
				field = location
			}
			rp := FailDetail(http.StatusBadRequest, "PARAM_ERROR", p.String(),
				M{"field": field, "location": location, "issue": p.Issue})
			return &rp
		}
	}
	return nil
}

// fieldNode is a response field with its children, in document order.
type fieldNode struct {
	field    catalog.Field
	children []*fieldNode
}

// tree rebuilds the nesting of a table from depth and order.
func tree(rows []catalog.Field) []*fieldNode {
	root := &fieldNode{field: catalog.Field{Depth: -1}}
	stack := []*fieldNode{root}
	for _, f := range rows {
		for len(stack) > 1 && stack[len(stack)-1].field.Depth >= f.Depth {
			stack = stack[:len(stack)-1]
		}
		n := &fieldNode{field: f}
		parent := stack[len(stack)-1]
		parent.children = append(parent.children, n)
		stack = append(stack, n)
	}
	return root.children
}

// echoValues collects the request's string values by name: path
// placeholders, query parameters and top-level JSON members.
func echoValues(r *Request) map[string]string {
	echo := map[string]string{}
	var top map[string]any
	if json.Unmarshal(r.Body, &top) == nil {
		for k, v := range top {
			if s, ok := v.(string); ok {
				echo[k] = s
			}
		}
	}
	for k := range r.Query {
		echo[k] = r.Query.Get(k)
	}
	for k, v := range r.Vars {
		echo[k] = v
	}
	return echo
}

// filler makes a value of every documented type.
type filler struct {
	s    *Server
	echo map[string]string
}

// object answers an object holding every node (the first of repeated
// names).
func (f filler) object(nodes []*fieldNode) M {
	obj := M{}
	for _, n := range nodes {
		if _, dup := obj[n.field.Name]; !dup {
			obj[n.field.Name] = f.value(n)
		}
	}
	return obj
}

func (f filler) value(n *fieldNode) any {
	fd := n.field
	switch fd.Type {
	case "object":
		return f.object(n.children)
	case "object[]":
		return []any{f.object(n.children)}
	case "string[]":
		return []any{f.str(n)}
	case "integer[]", "number[]":
		return []any{1}
	case "integer", "number", "float":
		return 1
	case "boolean", "true":
		return true
	}
	return f.str(n)
}

// str makes a string value: ciphertext for the merchant, JSON for a
// by-json_encode field, a documented literal, an echoed request value, a
// time, or the field's name.
func (f filler) str(n *fieldNode) string {
	fd := n.field
	switch {
	case fd.EncryptedWith == "merchant-public-key":
		ct, err := rsa.EncryptOAEP(sha1.New(), rand.Reader, &f.s.merchantKey.PublicKey, []byte("mock "+fd.Name), nil)
		if err != nil {
			return ""
		}
		return base64.StdEncoding.EncodeToString(ct)
	case fd.Encoded == "by-json_encode" && len(n.children) > 0:
		b, _ := marshalNoEscape(f.object(n.children))
		return string(b)
	case fd.Value != "":
		return fd.Value
	case f.echo[fd.Name] != "":
		return f.echo[fd.Name]
	case strings.HasSuffix(fd.Name, "_time"):
		return formatTime(f.s.now())
	}
	return "mock_" + fd.Name
}

// catalogFile serves a small file: unsigned for the downloads WeChat Pay
// does not sign, statement-signed for overseas statements, signed
// otherwise.
func (s *Server) catalogFile(ep catalog.Endpoint, r *Request) Reply {
	content := []byte("wechatpaytest file for " + ep.Method + " " + r.Path + "\n")
	rp := Raw(http.StatusOK, "application/octet-stream", content)
	full := s.basePath + r.Path
	switch {
	case r.Path == "v3/global/statements" || strings.HasSuffix(full, "/hk/v3/statements"):
		s.signStatement(rp.Header, content)
		rp.Unsigned = true // signed here, over the statement's digest
	case unsignedDownload(r.Path):
		rp.Unsigned = true
	}
	return rp
}

// signStatement signs {"sha1":"<hex SHA-1 of content>"} and sets
// Wechatpay-Statement-Sha1, as WeChat Pay does for overseas statements.
func (s *Server) signStatement(h http.Header, content []byte) {
	sum := sha1.Sum(content)
	digest := hex.EncodeToString(sum[:])
	ts := strconv.FormatInt(s.now().Unix(), 10)
	n := nonce(32)
	sig := s.sign(ts, n, []byte(`{"sha1":"`+digest+`"}`))
	h.Set("Wechatpay-Statement-Sha1", digest)
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderNonce, n)
	h.Set(HeaderSignature, base64.StdEncoding.EncodeToString(sig))
	h.Set(HeaderSerial, s.platformSerial)
}

// unsignedDownload reports whether WeChat Pay answers rel (relative to the
// base path) without a signature.
func unsignedDownload(rel string) bool {
	switch rel {
	case "v3/billdownload/file", "v3/new-tax-control-fapiao/download",
		"v3/transferdownload/elecvoucherfile", "v3/transferdownload/signfile":
		return true
	}
	media, ok := strings.CutPrefix(rel, "v3/merchant-service/images/")
	return ok && media != "" && media != "upload"
}
