package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"time"

	"github.com/wechatpay-chain/wechatpay"
)

// billHelp is the text after the flags in "wechatpay bill -h".
const billHelp = `Applies for a bill (GET v3/bill/tradebill, or v3/bill/fundflowbill with
--account) and downloads it: the answer's download_url is fetched with a
signed request, decompressed when it is gzip, and its SHA-1 checked against
the answer's hash_value (which covers the uncompressed bill). FILE is
written under a temporary name and renamed only when the hash matched. A
progress bar is drawn on stderr when stderr is a terminal.

Examples:
  wechatpay bill --date 2026-11-30 -o trade-2026-11-30.csv
  wechatpay bill --date 2026-11-30 --type SUCCESS --gzip -o success.csv
  wechatpay bill --date 2026-11-30 --account BASIC -o fundflow.csv

Exit codes: 0 ok, 1 API error, 2 usage error, 3 bill answer not verified,
4 network or other error, 5 checksum mismatch (nothing was kept).
`

// runBill is the bill subcommand.
func runBill(ctx context.Context, name string, args []string, stdout, stderr io.Writer, env func(string) string) int {
	var f fileFlags
	var date, kind, account string
	var gzip bool
	fs := newFlagSet(name)
	fs.StringVar(&date, "date", "", "bill `date`, YYYY-MM-DD (required)")
	fs.StringVar(&kind, "type", "ALL", "trade bill `type`: ALL, SUCCESS or REFUND")
	fs.StringVar(&account, "account", "", "download the fund-flow bill of this `account` (BASIC, OPERATION or FEES) instead of the trade bill")
	fs.BoolVar(&gzip, "gzip", false, "ask for the gzip file (tar_type=GZIP); it is decompressed on the way")
	f.register(fs)
	synopsis := "wechatpay bill --date YYYY-MM-DD [--type ALL|SUCCESS|REFUND | --account BASIC|OPERATION|FEES] [--gzip] -o FILE"
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printHelp(stdout, fs, synopsis, billHelp)
		return exitOK
	}
	switch {
	case err != nil:
	case len(positional) > 0:
		err = usagef("unexpected argument %q", positional[0])
	case date == "":
		err = usagef("missing --date YYYY-MM-DD")
	case f.out == "":
		err = usagef("%w", errNoOutput)
	default:
		if _, perr := time.Parse(time.DateOnly, date); perr != nil {
			err = usagef("--date %q: want YYYY-MM-DD", date)
		}
	}
	if err != nil {
		return usageFailure(stderr, name, err)
	}
	route, query := "v3/bill/tradebill", wechatpay.M{"bill_date": date, "bill_type": kind}
	if account != "" {
		route, query = "v3/bill/fundflowbill", wechatpay.M{"bill_date": date, "account_type": account}
	}
	if gzip {
		query["tar_type"] = "GZIP"
	}
	return f.fetch(ctx, stderr, stdout, env, func(ctx context.Context, c *wechatpay.Client, w io.Writer, opts ...wechatpay.DownloadOption) (int64, error) {
		bill, err := c.Chain(route).Get(ctx, wechatpay.Options{"query": query})
		if err != nil {
			return 0, err
		}
		return c.DownloadBill(ctx, bill, w, opts...)
	}, true)
}
