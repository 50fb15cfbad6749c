package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/wechatpay-chain/wechatpay/catalog"
)

// endpointsHelp is the text after the flags in "wechatpay endpoints -h".
const endpointsHelp = `Searches the endpoint catalog: every endpoint whose path, title or page
title contains all WORDS (case-insensitive, Chinese or English), best
matches first. Without WORDS every endpoint is listed. Each line shows the
method, the path, the title and a [notice] such as [deprecated].

Examples:
  wechatpay endpoints refund domestic
  wechatpay endpoints 退款
  wechatpay endpoints --api v2 redpack
  wechatpay describe "$(wechatpay endpoints -q native transactions | head -1)"
`

// runEndpoints is the endpoints subcommand.
func runEndpoints(_ context.Context, name string, args []string, stdout, stderr io.Writer, _ func(string) string) int {
	fs := newFlagSet(name)
	api := fs.String("api", "", "only endpoints of this `API`: v3 or v2")
	quiet := fs.Bool("q", false, "print the paths only")
	words, code, done := parseCatalogArgs(fs, args, "wechatpay endpoints [--api v3|v2] [-q] [WORDS…]", endpointsHelp, stdout, stderr)
	if done {
		return code
	}
	if *api != "" && *api != "v3" && *api != "v2" {
		fmt.Fprintf(stderr, "wechatpay endpoints: --api %q: want v3 or v2\n", *api)
		return exitUsage
	}
	found := catalog.All()
	if len(words) > 0 {
		found = catalog.Search(strings.Join(words, " "))
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	n := 0
	for _, e := range found {
		if *api != "" && e.API != *api {
			continue
		}
		n++
		if *quiet {
			fmt.Fprintln(tw, e.Path)
			continue
		}
		notes := ""
		for _, no := range e.Notices {
			switch no.Kind {
			case "deprecated", "privated", "redesigned", "discarded":
				notes += " [" + no.Kind + "]"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s%s\n", e.Method, e.Path, e.Title, notes)
	}
	tw.Flush()
	if n == 0 {
		fmt.Fprintf(stderr, "wechatpay endpoints: nothing in the catalog matches %q\n", strings.Join(words, " "))
		return exitUsage
	}
	return exitOK
}
