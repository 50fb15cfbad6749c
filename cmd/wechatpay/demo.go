package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// demoHelp is the text after the flags in "wechatpay demo -h".
const demoHelp = `The demo starts an in-process WeChat Pay server (package wechatpaytest) with
freshly generated keys, and sends the seed request

  POST v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare

six times: sync and async, each with the three ways to name the endpoint
(a declarative template, a segment chain and a step-by-step chain). For each
it shows the request line the server received, whether the server verified
the request signature, whether the client verified the answer's signature,
and the answer.

Then it runs the day-1 merchant journey against the same server, one line per
step: a Native order, its payment callback (verified and decrypted by the
client's NotificationHandler, served on a loopback port as a merchant would),
the order query, a refund, its callback, and the trade bill downloaded with
its SHA-1 checked. It exits 0 only if everything
succeeded.

Example:
  go run ./cmd/wechatpay demo
`

// seedOptions are the seed page's request options (a fresh map per call).
func seedOptions() wechatpay.Options {
	return wechatpay.Options{
		"card_id": "478515832665",
		"code":    "478515832665",
		"json": wechatpay.M{
			"out_trade_no": "1217752501201407033233368018",
			"mchid":        "1230000109",
			"sub_mchid":    "1900000109",
			"bonus_value":  30,
		},
	}
}

// demoStyle is one way of naming the seed endpoint.
type demoStyle struct {
	name  string // "declarative template"
	code  string // the Go expression, shown to the reader
	chain func(*wechatpay.Client) *wechatpay.Chain
}

// demoStyles are the three chain forms of the seed endpoint.
var demoStyles = []demoStyle{
	{
		name: "declarative template",
		code: `client.Chain("v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare")`,
		chain: func(c *wechatpay.Client) *wechatpay.Chain {
			return c.Chain("v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare")
		},
	},
	{
		name: "segment chain",
		code: `client.Chain("v3", "marketing", "membercardOpen", "cards", "_card_id_", "codes", "_code_", "bonus", "prepare")`,
		chain: func(c *wechatpay.Client) *wechatpay.Chain {
			return c.Chain("v3", "marketing", "membercardOpen", "cards", "_card_id_", "codes", "_code_", "bonus", "prepare")
		},
	},
	{
		name: "step-by-step chain",
		code: `client.Chain("v3").Chain("marketing").Chain("membercardOpen").Chain("cards").Chain("_card_id_").` + "\n" +
			`Chain("codes").Chain("_code_").Chain("bonus").Chain("prepare")`,
		chain: func(c *wechatpay.Client) *wechatpay.Chain {
			return c.Chain("v3").Chain("marketing").Chain("membercardOpen").Chain("cards").Chain("_card_id_").
				Chain("codes").Chain("_code_").Chain("bonus").Chain("prepare")
		},
	},
}

// runDemo is the demo subcommand.
func runDemo(ctx context.Context, name string, args []string, stdout, stderr io.Writer, _ func(string) string) int {
	fs := newFlagSet(name)
	if code, done := parseNoArgs(fs, args, "wechatpay demo", demoHelp, stdout, stderr); done {
		return code
	}

	srv, err := wechatpaytest.New()
	if err != nil {
		return report(stderr, fmt.Errorf("starting the in-process server: %w", err))
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		return report(stderr, fmt.Errorf("configuring the client: %w", err))
	}
	defer client.CloseIdleConnections()

	fmt.Fprintf(stdout, "WeChat Pay demo: the seed example against an in-process WeChat Pay server\n")
	fmt.Fprintf(stdout, "  server:   %s (checks every request signature, signs every answer)\n", srv.URL)
	fmt.Fprintf(stdout, "  merchant: mchid %s, API certificate serial %s\n", srv.MchID(), srv.MerchantSerial())
	fmt.Fprintf(stdout, "  platform: answers signed with %s (%s)\n", srv.PlatformSerial(), srv.KeyMode())

	ok, total, of := 0, 0, 2*len(demoStyles)
	for _, async := range []bool{false, true} {
		for _, st := range demoStyles {
			total++
			if demoOne(ctx, stdout, srv, client, st, async, total, of) {
				ok++
			}
		}
	}
	fmt.Fprintf(stdout, "\n%d of %d styles succeeded.\n", ok, total)
	if ok != total {
		return exitOther
	}
	if !runJourney(ctx, stdout, srv, client) { // journey.go
		return exitOther
	}
	fmt.Fprint(stdout, `
Next steps:
  wechatpay mock              a standalone server on 127.0.0.1:8080, with export lines for this CLI
  wechatpay post -h           call any endpoint from the shell
  docs/README.md              the endpoint pages, with the same six variants in Go
`)
	return exitOK
}

// demoOne sends the seed request in one style and prints what happened on
// both sides. It reports whether everything checked out.
func demoOne(ctx context.Context, w io.Writer, srv *wechatpaytest.Server, client *wechatpay.Client, st demoStyle, async bool, n, of int) bool {
	mode, call := "sync", ".Post(ctx, opts)"
	if async {
		mode, call = "async", ".PostAsync(ctx, opts).Wait(ctx)"
	}
	fmt.Fprintf(w, "\n[%d/%d] %s, %s\n", n, of, mode, st.name)
	fmt.Fprintf(w, "  code:     %s\n", strings.ReplaceAll(st.code+call, "\n", "\n              "))

	srv.Reset()
	ch := st.chain(client)
	var resp *wechatpay.Response
	var err error
	if async {
		resp, err = ch.PostAsync(ctx, seedOptions()).Wait(ctx)
	} else {
		resp, err = ch.Post(ctx, seedOptions())
	}

	good := true
	reqs := srv.Requests()
	if len(reqs) != 1 {
		fmt.Fprintf(w, "  request:  the server received %d requests, want 1\n", len(reqs))
		good = false
	} else {
		r := reqs[0]
		fmt.Fprintf(w, "  request:  %s %s\n", r.Method, r.RequestURI)
		fmt.Fprintf(w, "  body:     %s\n", r.Body)
		if r.Authorized {
			fmt.Fprintf(w, "  server verified the request signature: yes\n")
		} else {
			fmt.Fprintf(w, "  server verified the request signature: NO (%s)\n", r.AuthFailure)
			good = false
		}
	}
	if err != nil {
		fmt.Fprintf(w, "  client verified the answer signature:  NO\n  error:    %v\n", err)
		return false
	}
	fmt.Fprintf(w, "  client verified the answer signature:  yes\n")
	body := "(empty body)"
	if len(resp.Body()) > 0 {
		body = string(resp.Body())
	}
	fmt.Fprintf(w, "  answer:   %s %s, request id %s\n", statusText(resp.StatusCode()), body, orDash(resp.RequestID()))
	return good && resp.StatusCode() == 204
}
