package wechatpay

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/wechatpay-chain/wechatpay/apiv2"
	"github.com/wechatpay-chain/wechatpay/middleware"
)

// The reserved option keys of APIv2 calls.
const (
	optXML       = "xml"
	optSecurity  = "security"
	optNonceless = "nonceless"
)

// apiv2Prefix marks an APIv2 path; it is removed before sending.
const apiv2Prefix = "v2/"

// v2Request is what a prepared APIv2 request carries beyond a v3 one.
type v2Request struct {
	mutualTLS bool
	nonceless bool
	fields    map[string]string // what body encodes (POST); nil for a GET
}

// isV2Option reports whether key is one of the APIv2 option keys.
func isV2Option(key string) bool {
	return key == optXML || key == optSecurity || key == optNonceless
}

// checkAPIv3Call refuses an APIv3 call the client cannot make, and APIv2
// options on an APIv3 path, before any I/O.
func (ch *Chain) checkAPIv3Call(method, target string, opts Options) error {
	for key := range opts {
		if isV2Option(key) {
			return fmt.Errorf("%w: %s %s: option %q is for APIv2 calls (paths starting with %q)", ErrTemplate, method, target, key, apiv2Prefix)
		}
	}
	if ch.client.v2.v2Only {
		return fmt.Errorf("wechatpay: %s %s: this client has no APIv3 credentials (Config.Serial, PrivateKey, Certs): it is configured for APIv2 only", method, target)
	}
	return nil
}

// prepareV2 builds an APIv2 request for target (the expanded path, still
// starting with "v2/"): the "xml" fields become the XML body (or, for a
// GET, the query) that the APIv2 signer middleware signs on each attempt.
func (ch *Chain) prepareV2(method, target string, opts Options) (*preparedRequest, error) {
	c := ch.client
	path, _, _ := strings.Cut(target, "?")
	if !c.v2.hasKey {
		return nil, fmt.Errorf("wechatpay: %s %s: this client has no APIv2 secret (Config.APIv2Key)", method, path)
	}
	if strings.Contains(target, "?") {
		return nil, fmt.Errorf("%w: %s %s: an APIv2 template may not produce a query: give the parameters in \"xml\"", ErrTemplate, method, path)
	}
	for _, key := range []string{optJSON, optBody, optQuery} {
		if _, ok := opts[key]; ok {
			return nil, fmt.Errorf("%w: %s %s: option %q is not used by APIv2 calls: give the fields in \"xml\"", ErrTemplate, method, path, key)
		}
	}
	fields, err := v2Fields(opts[optXML])
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: option \"xml\": %w", ErrTemplate, method, path, err)
	}
	if err := c.checkV2Fields(fields); err != nil {
		return nil, fmt.Errorf("%w: %s %s: option \"xml\": %w", ErrTemplate, method, path, err)
	}
	if err := apiv2.CheckSignType(strings.TrimPrefix(path, apiv2Prefix), fields[apiv2.FieldSignType]); err != nil {
		return nil, fmt.Errorf("%w: %s %s: option \"xml\": %w", ErrTemplate, method, path, err)
	}
	v2 := &v2Request{}
	if v2.mutualTLS, err = boolOption(opts, optSecurity); err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrTemplate, method, path, err)
	}
	if v2.mutualTLS && c.v2.mutual == nil {
		return nil, fmt.Errorf("%w: %s %s: option \"security\" asks for mutual TLS, but the client has no Config.ClientCertificate", ErrTemplate, method, path)
	}
	if v2.nonceless, err = boolOption(opts, optNonceless); err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrTemplate, method, path, err)
	}
	req := &preparedRequest{method: method, path: path, tmpl: ch.path, v2: v2}
	if req.header, err = encodeHeaders(opts[optHeaders]); err != nil {
		return nil, err
	}
	if req.header.Get("Accept") == "" {
		req.header.Set("Accept", "text/xml, application/xml, text/plain")
	}
	if req.retry, err = boolOption(opts, optRetry); err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrTemplate, method, path, err)
	}
	req.url = c.v2.root + strings.TrimPrefix(path, apiv2Prefix)
	if method == http.MethodGet || method == http.MethodHead {
		q := make(url.Values, len(fields))
		for k, v := range fields {
			q.Set(k, v)
		}
		if len(q) > 0 {
			req.url += "?" + q.Encode()
		}
		return req, nil
	}
	v2.fields = fields
	if req.body, err = apiv2.Encode(fields); err != nil {
		return nil, fmt.Errorf("%w: %s %s: option \"xml\": %w", ErrTemplate, method, path, err)
	}
	if req.header.Get("Content-Type") == "" {
		req.header.Set("Content-Type", "text/xml; charset=utf-8")
	}
	return req, nil
}

// boolOption reads an optional bool option.
func boolOption(opts Options, key string) (bool, error) {
	v, ok := opts[key]
	if !ok {
		return false, nil
	}
	b, isBool := v.(bool)
	if !isBool {
		return false, fmt.Errorf("option %q: want bool, got %T", key, v)
	}
	return b, nil
}

// v2Fields converts the "xml" option (M or map[string]string) into the
// flat fields of an APIv2 document. Values of M may be strings, booleans,
// integers, floats, json.Number or fmt.Stringer; a nil or nested value is
// an error (fields such as profit-sharing "receivers" are JSON strings:
// marshal them first).
func v2Fields(v any) (map[string]string, error) {
	switch x := v.(type) {
	case nil:
		return map[string]string{}, nil
	case map[string]string:
		out := make(map[string]string, len(x)+2)
		for k, val := range x {
			out[k] = val
		}
		return out, nil
	case map[string]any:
		out := make(map[string]string, len(x)+2)
		for k, val := range x {
			s, err := v2Value(val)
			if err != nil {
				return nil, fmt.Errorf("field %q: %w", k, err)
			}
			out[k] = s
		}
		return out, nil
	default:
		return nil, fmt.Errorf("unsupported type %T (want wechatpay.M or map[string]string)", v)
	}
}

// v2Value formats one field value.
func v2Value(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int8, int16, int32, int64:
		return fmt.Sprint(x), nil
	case uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x), nil
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case json.Number:
		return x.String(), nil
	case fmt.Stringer:
		return x.String(), nil
	case nil:
		return "", fmt.Errorf("nil value")
	default:
		return "", fmt.Errorf("unsupported type %T (APIv2 fields are flat: marshal nested values to a JSON string)", v)
	}
}

// checkV2Fields applies the rules every APIv2 payload obeys: the merchant
// ids equal the configured one, "sign" is left to the client, "sign_type"
// is one the client can compute.
func (c *Client) checkV2Fields(fields map[string]string) error {
	for _, key := range []string{"mch_id", "mchid", "combine_mch_id"} {
		if v, ok := fields[key]; ok && v != c.mchID {
			return fmt.Errorf("field %q is %q, but the client is configured for merchant %q", key, v, c.mchID)
		}
	}
	if _, ok := fields[apiv2.FieldSign]; ok {
		return fmt.Errorf("field %q is computed by the client and cannot be given", apiv2.FieldSign)
	}
	_, err := apiv2.SignTypeOf(fields)
	return err
}

// context marks ctx for the APIv2 signer and verifier and, with
// "security", for the mutual-TLS transport. A v3 request's ctx is
// returned unchanged.
func (r *preparedRequest) context(ctx context.Context) (context.Context, *middleware.APIv2Call) {
	if r.v2 == nil {
		return ctx, nil
	}
	call := &middleware.APIv2Call{Nonceless: r.v2.nonceless, Prepared: r.v2.fields, PreparedBody: r.body}
	ctx = middleware.WithAPIv2(ctx, call)
	if r.v2.mutualTLS {
		ctx = withMutualTLS(ctx)
	}
	return ctx, call
}

// finishV2 turns a verified 2xx APIv2 answer into a Response, or into an
// *APIError when return_code or result_code is not SUCCESS.
func (r *preparedRequest) finishV2(call *middleware.APIv2Call, resp *Response) (*Response, error) {
	fields := call.Answer()
	if fields == nil {
		if apiv2.IsFileAnswer(strings.TrimPrefix(r.path, apiv2Prefix)) && !looksLikeXML(resp.body) {
			resp.xml = map[string]string{}
			return resp, nil
		}
		// The verifier did not run (a replaced or removed stack entry):
		// parse safely anyway, so Get and the result codes still work.
		var err error
		if fields, err = apiv2.Decode(resp.body); err != nil {
			return nil, fmt.Errorf("wechatpay: %s %s: %w", r.method, r.path, err)
		}
	}
	resp.xml = fields
	if fields["return_code"] != "SUCCESS" || fields["result_code"] != "" && fields["result_code"] != "SUCCESS" {
		e := &APIError{
			StatusCode: resp.status,
			Code:       fields["err_code"],
			Message:    fields["err_code_des"],
			Header:     resp.header,
			Body:       resp.body,
			RequestID:  resp.header.Get("Request-ID"),
			Method:     r.method,
			Path:       r.path,
			Template:   r.tmpl,
		}
		if e.Code == "" {
			e.Code = fields["return_code"]
		}
		if e.Message == "" {
			e.Message = fields["return_msg"]
		}
		return nil, e
	}
	return resp, nil
}

// looksLikeXML reports whether b starts, after blanks, with '<'.
func looksLikeXML(b []byte) bool {
	s := strings.TrimLeft(string(b[:min(len(b), 64)]), " \t\r\n")
	return strings.HasPrefix(s, "<")
}
