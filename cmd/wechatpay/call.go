package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/wechatpay-chain/wechatpay"
)

// callFlags are the flags of get, post, put, patch and delete.
type callFlags struct {
	creds   credFlags
	vars    pairFlag
	query   pairFlag
	headers headerFlag
	json    string
	body    string
	v2      v2CallFlags
	include bool
	verbose bool
	retry   int
	timeout time.Duration
	catalog catalogFlags
}

// newCallFlagSet registers the call flags on a new flag set.
func newCallFlagSet(name string, f *callFlags) *flag.FlagSet {
	fs := newFlagSet(name)
	f.vars.flag, f.query.flag = "-p", "-q"
	fs.Var(&f.vars, "p", "set template variable `name=value` (repeatable)")
	fs.Var(&f.query, "q", "add query parameter `name=value` (repeatable; a repeated name makes a list)")
	fs.Var(&f.headers, "H", "add request header `'Name: value'` (repeatable)")
	fs.StringVar(&f.json, "json", "", "JSON request body, inline, `@file` or @- (stdin)")
	fs.StringVar(&f.body, "body", "", "request body sent verbatim, inline, `@file` or @- (Content-Type application/json unless -H sets one)")
	f.v2.register(fs)
	fs.BoolVar(&f.include, "i", false, "print the status line and headers before the body")
	fs.BoolVar(&f.verbose, "v", false, "print the request and answer headers on stderr (Authorization redacted)")
	fs.IntVar(&f.retry, "retry", 0, "retry up to `n` times on 429, 5xx and network errors (POST included: reuse the same out_trade_no)")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "give up after this `duration`")
	f.creds.register(fs)
	f.catalog.register(fs)
	return fs
}

// callHelp is the text after the flags in "wechatpay get -h".
const callHelp = `PATH is a chain template relative to the base URL, read as one argument of
Client.Chain: a PATH holding "/" is a URI template sent verbatim (literal ids
such as ORDER20261201A and query tokens go out byte for byte; variables are
written {name}); only a PATH without "/" is a segment name and is normalised.
A full URL on the configured host works too (its query becomes -q
parameters). Every variable PATH names must be set with -p, and every -p
must be used.

The --json body is checked, then sent as it was written minus insignificant
whitespace (key order and number literals kept), with Content-Type
application/json. A JSON answer is pretty-printed on stdout, anything else
is printed as is.

Environment:
  WECHATPAY_MCHID        merchant id
  WECHATPAY_SERIAL       merchant API certificate serial
  WECHATPAY_PRIVATE_KEY  path of the merchant private key PEM (apiclient_key.pem)
  WECHATPAY_CERTS        serial=file[,serial=file…]: platform certificate serials or
                         PUB_KEY_ID_… ids, each with a PEM public key or certificate
  WECHATPAY_BASE_URL     API root (default https://api.mch.weixin.qq.com/)
  WECHATPAY_APIV2_KEY    APIv2 secret, for v2/… paths (with only MCHID set: an APIv2-only client)
  WECHATPAY_CLIENT_CERT, WECHATPAY_CLIENT_KEY
                         apiclient_cert.pem and apiclient_key.pem, for --security (mutual TLS)
  WECHATPAY_CA_CERT      extra root CA PEM to trust (a local test server's)
Flags of the same names override them.

Examples:
  # a local mock in the background, its export lines loaded into this shell:
` + mockRecipe + `  wechatpay post v3/pay/transactions/native --json @order.json
  wechatpay get v3/pay/transactions/out-trade-no/{out_trade_no} \
      -p out_trade_no=1217752501201407033233368018 -q mchid=1230000109
  wechatpay post 'v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare' \
      -p card_id=478515832665 -p code=478515832665 -i \
      --json '{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109","sub_mchid":"1900000109","bonus_value":30}'
  wechatpay post v2/pay/orderquery --xml '<xml><appid>wx1</appid><out_trade_no>T1</out_trade_no></xml>'

A 2xx answer without a body prints its status line on stderr.

Exit codes: 0 ok, 1 API error (code, message and request id on stderr),
2 usage or template error, 3 answer signature not verified, 4 network or other error.
`

// callRequest is a parsed command line for one call.
type callRequest struct {
	method string
	path   string
	opts   wechatpay.Options
	flags  callFlags
}

// parseCall parses the arguments of a call subcommand. It returns
// flag.ErrHelp when help was asked for.
func parseCall(name string, args []string) (*callRequest, *flag.FlagSet, error) {
	req := &callRequest{method: strings.ToUpper(name)}
	fs := newCallFlagSet(name, &req.flags)
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, fs, err
	}
	switch len(positional) {
	case 0:
		return nil, fs, usagef("missing PATH, e.g. v3/pay/transactions/out-trade-no/{out_trade_no}")
	case 1:
		req.path = positional[0]
		if strings.Trim(req.path, "/ ") == "" {
			return nil, fs, usagef("PATH %q names no endpoint", req.path)
		}
	default:
		return nil, fs, usagef("want one PATH, got %d arguments: %q", len(positional), positional)
	}
	if req.opts, err = req.flags.options(); err != nil {
		return nil, fs, err
	}
	return req, fs, nil
}

// options turns the -p, -q, -H and --json flags into request options.
func (f *callFlags) options() (wechatpay.Options, error) {
	opts := wechatpay.Options{}
	vars, err := f.vars.vars()
	if err != nil {
		return nil, usagef("%w", err)
	}
	for k, v := range vars {
		opts[k] = v
	}
	if len(f.query.pairs) > 0 {
		opts["query"] = f.query.values()
	}
	if len(f.headers.h) > 0 {
		opts["headers"] = f.headers.h
	}
	if f.json != "" && f.body != "" {
		return nil, usagef("--json and --body are exclusive")
	}
	if f.json != "" {
		body, err := readJSON(f.json)
		if err != nil {
			return nil, usagef("--json: %w", err)
		}
		opts["json"] = body
	}
	if f.body != "" {
		body, err := readBody(f.body)
		if err != nil {
			return nil, usagef("--body: %w", err)
		}
		opts["body"] = body
		if f.headers.h.Get("Content-Type") == "" {
			if f.headers.h == nil {
				f.headers.h = http.Header{}
				opts["headers"] = f.headers.h
			}
			f.headers.h.Set("Content-Type", "application/json")
		}
	}
	if f.retry < 0 {
		return nil, usagef("--retry %d: want 0 or more", f.retry)
	}
	if f.retry > 0 {
		opts["retry"] = true
	}
	if err := f.v2.apply(opts); err != nil {
		return nil, err
	}
	return opts, nil
}

// runCall is the get/post/put/patch/delete subcommand.
func runCall(ctx context.Context, name string, args []string, stdout, stderr io.Writer, env func(string) string) int {
	req, fs, err := parseCall(name, args)
	if errors.Is(err, flag.ErrHelp) {
		printHelp(stdout, fs, "wechatpay "+name+" PATH [-p name=value]… [-q name=value]… [--json JSON|@file|@-] [--body TEXT|@file|@-] [-H 'Name: value']… [-i] [-v] [--retry N]", callHelp)
		return exitOK
	}
	if err != nil {
		return usageFailure(stderr, name, err)
	}
	var tweaks []func(*wechatpay.Config)
	if req.flags.retry > 0 {
		tweaks = append(tweaks, func(c *wechatpay.Config) { c.Retry = &wechatpay.RetryPolicy{MaxRetries: req.flags.retry} })
	}
	client, err := req.flags.creds.newClient(env, tweaks...)
	if err != nil {
		return report(stderr, err)
	}
	defer client.CloseIdleConnections()
	if err := req.resolvePath(client.BaseURL()); err != nil {
		return usageFailure(stderr, name, err)
	}
	chain := client.Chain(req.path)
	if err := checkVars(chain, req.opts); err != nil {
		return usageFailure(stderr, name, err)
	}
	if code, stop := checkWithCatalog(stderr, req, chain); stop {
		return code
	}
	if req.flags.verbose {
		if err := client.Stack().Push("cli-verbose", verboseMiddleware(stderr)); err != nil {
			return report(stderr, err)
		}
	}
	ctx, cancel := withTimeout(ctx, req.flags.timeout)
	defer cancel()
	resp, err := chain.Do(ctx, req.method, req.opts)
	if err != nil {
		var apiErr *wechatpay.APIError
		if req.flags.include && errors.As(err, &apiErr) {
			writeAnswer(stdout, apiErr.StatusCode, apiErr.Header, apiErr.Body, true)
		}
		return reportTimeout(stderr, ctx, req.flags.timeout, err)
	}
	writeAnswer(stdout, resp.StatusCode(), resp.Header(), resp.Body(), req.flags.include)
	if len(resp.Body()) == 0 && !req.flags.include {
		fmt.Fprintf(stderr, "HTTP %s (request id %s)\n", statusText(resp.StatusCode()), orDash(resp.RequestID()))
	}
	return exitOK
}

// parseInterspersed parses fs from args, allowing flags after positional
// arguments (Go's flag package stops at the first one). Everything after
// "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%w", err)
		}
		rest := fs.Args()
		consumed := args[:len(args)-len(rest)]
		if len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// statusText is "204 No Content" for 204.
func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}
