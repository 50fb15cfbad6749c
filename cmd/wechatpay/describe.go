package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"

	"github.com/wechatpay-chain/wechatpay/catalog"
)

// describeHelp is the text after the flags in "wechatpay describe -h".
const describeHelp = `Shows what the endpoint catalog documents for PATH: title, method,
placeholders, the request and response fields as an indented table
(type, required, encrypted), the official doc links and notices such as
deprecated. Without METHOD every documented method of PATH is shown.
An event type (TRANSACTION.SUCCESS) or callback page (v2/refund-processed)
shows the fields of the callback's decrypted resource.

PATH is a template ("v3/pay/transactions/id/{transaction_id}", other
placeholder names work too) or a concrete path; a PATH the catalog does
not know gets the nearest documented paths.

Examples:
  wechatpay describe v3/pay/transactions/native
  wechatpay describe POST 'v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare'
  wechatpay describe GET v3/refund/domestic/refunds/R20261201
  wechatpay describe TRANSACTION.SUCCESS
`

// runDescribe is the describe subcommand.
func runDescribe(_ context.Context, name string, args []string, stdout, stderr io.Writer, _ func(string) string) int {
	fs := newFlagSet(name)
	positional, code, done := parseCatalogArgs(fs, args, "wechatpay describe [METHOD] PATH", describeHelp, stdout, stderr)
	if done {
		return code
	}
	method, path := "", ""
	switch len(positional) {
	case 1:
		path = positional[0]
	case 2:
		method, path = strings.ToUpper(positional[0]), positional[1]
	default:
		fmt.Fprintln(stderr, "wechatpay describe: want [METHOD] PATH (run \"wechatpay describe -h\" for help)")
		return exitUsage
	}
	if h, ok := catalog.LookupWebhook(path); ok && method == "" {
		describeWebhook(stdout, h)
		return exitOK
	}
	methods := catalog.Methods(path)
	if method != "" {
		methods = []string{method}
	}
	found := 0
	for _, m := range methods {
		ep, ok := catalog.Lookup(m, path)
		if !ok {
			continue
		}
		if found > 0 {
			fmt.Fprintln(stdout)
		}
		describe(stdout, ep)
		found++
	}
	if found == 0 {
		notCatalogued(stderr, method, path)
		return exitUsage
	}
	return exitOK
}

// notCatalogued says that method (maybe empty) and path are not in the
// catalog and names the nearest documented paths.
func notCatalogued(w io.Writer, method, path string) {
	what := strings.TrimSpace(method + " " + path)
	if others := catalog.Methods(path); len(others) > 0 {
		fmt.Fprintf(w, "wechatpay: %s is not in the endpoint catalog; the catalog documents %s for this path\n", what, strings.Join(others, ", "))
		return
	}
	if to, ok := catalog.Moved(path); ok {
		fmt.Fprintf(w, "wechatpay: %s is not in the endpoint catalog; its documentation moved to %s\n", what, to)
		return
	}
	fmt.Fprintf(w, "wechatpay: %s is not in the endpoint catalog; the nearest documented paths:\n", what)
	for _, e := range catalog.Suggest(path, 3) {
		fmt.Fprintf(w, "  %s %s  %s\n", strings.Join(catalog.Methods(e.Path), ","), e.Path, e.Title)
	}
}

// describe writes one endpoint.
func describe(w io.Writer, e catalog.Endpoint) {
	fmt.Fprintf(w, "%s %s\n", e.Method, e.Path)
	title := e.Title
	if e.PageTitle != "" && e.PageTitle != e.Title {
		title = e.PageTitle + " / " + e.Title
	}
	fmt.Fprintf(w, "  %s (API%s)\n", title, e.API)
	if len(e.Placeholders) > 0 {
		fmt.Fprintf(w, "  placeholders: %s\n", strings.Join(e.Placeholders, ", "))
	}
	for _, n := range e.Notices {
		line := "  notice: " + n.Kind
		if n.Date != "" {
			line += " " + n.Date
		}
		if len(n.See) > 0 {
			line += "; see " + strings.Join(n.See, ", ")
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, "\nRequest:")
	fieldTable(w, e.Request)
	fmt.Fprint(w, "\nResponse:")
	switch e.ResponseKind {
	case "no_content":
		fmt.Fprintf(w, " %s\n", statusText(http.StatusNoContent))
	case "file":
		fmt.Fprintln(w, " a file stream, not JSON")
	case "redirect":
		fmt.Fprintln(w, " a browser redirect URL (no server call)")
	default:
		fmt.Fprintln(w)
	}
	if len(e.Response) > 0 || e.ResponseKind == "fields" {
		fieldTable(w, e.Response)
	}
	if len(e.Errors) > 0 {
		fmt.Fprintln(w, "\nError body:")
		fieldTable(w, e.Errors)
	}
	docList(w, e.Docs)
}

// describeWebhook writes one callback.
func describeWebhook(w io.Writer, h catalog.Webhook) {
	fmt.Fprintf(w, "callback %s (%s, API%s)\n  %s\n", h.Page, h.Format, h.API, h.Title)
	if h.EncryptedField != "" {
		fmt.Fprintf(w, "  the resource arrives in %s, encrypted %s\n", h.EncryptedField, h.Encryption)
	}
	if len(h.Variants) > 0 {
		fmt.Fprintf(w, "  variants: %s\n", strings.Join(h.Variants, ", "))
	}
	fmt.Fprintln(w, "\nResource:")
	fieldTable(w, h.Resource)
	fmt.Fprintln(w, "\nAnswer:")
	fieldTable(w, h.Response)
	docList(w, h.Docs)
}

// docList writes the doc links, if any.
func docList(w io.Writer, docs []string) {
	if len(docs) == 0 {
		return
	}
	fmt.Fprintln(w, "\nDocs:")
	for _, d := range docs {
		fmt.Fprintf(w, "  %s\n", d)
	}
}

// fieldTable writes fields indented by depth: name, type, required, notes.
func fieldTable(w io.Writer, fields []catalog.Field) {
	if len(fields) == 0 {
		fmt.Fprintln(w, "  (none)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  FIELD\tTYPE\tREQUIRED\tNOTES")
	for _, f := range fields {
		req := ""
		if f.Required {
			req = "required"
		}
		fmt.Fprintf(tw, "  %s%s\t%s\t%s\t%s\n", strings.Repeat("  ", f.Depth), f.Name, f.Type, req, fieldNotes(f))
	}
	tw.Flush()
}

// fieldNotes describes encryption, encoding, signing and fixed values.
func fieldNotes(f catalog.Field) string {
	var notes []string
	if f.Encrypted != "" {
		n := "encrypted " + f.Encrypted
		if f.EncryptedWith != "" {
			n += " with " + f.EncryptedWith
		}
		if f.EncryptedWith == "wechatpay-public-key" {
			n += " (send wechatpay.Sensitive)"
		}
		notes = append(notes, n)
	}
	if f.Encoded != "" {
		notes = append(notes, "encoded "+f.Encoded)
	}
	if f.Signed != "" {
		notes = append(notes, "signed "+f.Signed)
	}
	if f.Value != "" {
		notes = append(notes, "value "+f.Value)
	}
	return strings.Join(notes, "; ")
}
