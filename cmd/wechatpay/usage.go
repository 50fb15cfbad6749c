package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/wechatpay-chain/wechatpay"
)

// versionLine names the tool, the library version and the Go runtime.
func versionLine() string {
	return fmt.Sprintf("wechatpay %s (%s)", wechatpay.Version, runtime.Version())
}

// topUsage writes the top-level help.
func topUsage(w io.Writer) {
	fmt.Fprint(w, `wechatpay calls WeChat Pay APIv3 endpoints: every request signed, every answer verified.

Usage:
  wechatpay COMMAND [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `  help      show help for a command ("wechatpay help get")
  version   print the version

Examples:
  wechatpay demo
  wechatpay mock --dir ./mock-keys          # prints export lines, then serves
  wechatpay post v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare \
      -p card_id=478515832665 -p code=478515832665 \
      --json '{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109","sub_mchid":"1900000109","bonus_value":30}'
  wechatpay get v3/pay/transactions/out-trade-no/{out_trade_no} -p out_trade_no=1217752501201407033233368018 -q mchid=1230000109

  wechatpay bill --date 2026-11-30 --gzip -o bill.csv

Exit codes: 0 ok, 1 API error, 2 usage or template error, 3 answer signature
not verified, 4 network or other error, 5 downloaded file's checksum mismatch.
`)
}

// newFlagSet returns a silent flag set that never exits the process: the
// caller prints parse errors, and printHelp the help.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("wechatpay "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// printHelp writes a subcommand's help: its synopsis, the flags and the
// text that follows (examples).
func printHelp(w io.Writer, fs *flag.FlagSet, synopsis, after string) {
	fmt.Fprintf(w, "Usage:\n  %s\n\nFlags:\n", synopsis)
	fs.SetOutput(w)
	fs.VisitAll(func(f *flag.Flag) {
		name, use := flag.UnquoteUsage(f)
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		line := "  " + dash + f.Name
		if name != "" {
			line += " " + name
		}
		fmt.Fprintf(w, "%-28s %s", line, strings.ReplaceAll(use, "\n", "\n"+strings.Repeat(" ", 29)))
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
	fs.SetOutput(io.Discard)
	if after != "" {
		fmt.Fprintf(w, "\n%s", after)
	}
}

// parseNoArgs parses a subcommand that takes flags but no arguments. It
// prints the help on -h and reports bad flags and stray arguments. When
// done is true the subcommand must return code at once.
func parseNoArgs(fs *flag.FlagSet, args []string, synopsis, help string, stdout, stderr io.Writer) (code int, done bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(stdout, fs, synopsis, help)
			return exitOK, true
		}
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
		return exitUsage, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, true
	}
	return exitOK, false
}
