package main

import (
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"

	"github.com/wechatpay-chain/wechatpay"
)

// pairFlag collects repeated "name=value" flags, in order.
type pairFlag struct {
	flag  string // "-p" or "-q", for messages
	pairs [][2]string
}

// String implements flag.Value.
func (f *pairFlag) String() string { return "" }

// Set implements flag.Value: it splits at the first '='.
func (f *pairFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q: want name=value", s)
	}
	f.pairs = append(f.pairs, [2]string{name, value})
	return nil
}

// vars returns the -p pairs as template variables. A name given twice, or
// one that is a reserved option key (wechatpay.ReservedOptionKeys), is an
// error.
func (f *pairFlag) vars() (map[string]string, error) {
	out := make(map[string]string, len(f.pairs))
	for _, p := range f.pairs {
		if slices.Contains(wechatpay.ReservedOptionKeys(), p[0]) {
			return nil, fmt.Errorf("%s %s=…: %q is a reserved option name, not a template variable (use --json, -q or -H)", f.flag, p[0], p[0])
		}
		if _, dup := out[p[0]]; dup {
			return nil, fmt.Errorf("%s %s: given twice", f.flag, p[0])
		}
		out[p[0]] = p[1]
	}
	return out, nil
}

// values returns the -q pairs as url.Values: a repeated name is a list.
func (f *pairFlag) values() url.Values {
	v := url.Values{}
	for _, p := range f.pairs {
		v.Add(p[0], p[1])
	}
	return v
}

// headerFlag collects repeated "Name: value" flags.
type headerFlag struct{ h http.Header }

// String implements flag.Value.
func (f *headerFlag) String() string { return "" }

// Set implements flag.Value.
func (f *headerFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t\r\n") {
		return fmt.Errorf("%q: want 'Name: value'", s)
	}
	if strings.ContainsAny(value, "\r\n") {
		return fmt.Errorf("%q: a header value cannot hold a line break", s)
	}
	if textproto.CanonicalMIMEHeaderKey(name) == "Authorization" {
		return fmt.Errorf("%q: Authorization is computed by the signer and cannot be given", name)
	}
	if f.h == nil {
		f.h = http.Header{}
	}
	f.h.Add(name, strings.TrimSpace(value))
	return nil
}
