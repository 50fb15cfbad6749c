package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/wechatpay-chain/wechatpay"
)

// downloadHelp is the text after the flags in "wechatpay download -h".
const downloadHelp = `URL is an absolute URL on the configured host (WECHATPAY_BASE_URL), such as
the download_url of a bill answer. The request is signed; the file is not
(WeChat Pay does not sign files), so give --sha1 to check it. The file is
streamed to FILE under a temporary name and renamed only when the download
succeeded and, with --sha1, its SHA-1 matched. A progress bar is drawn on
stderr when stderr is a terminal.

Examples:
  wechatpay download 'https://api.mch.weixin.qq.com/v3/billdownload/file?token=…' \
      --sha1 79bb0f45fc4c42234a918000b2668d689e2bde04 --gunzip -o bill.csv

Exit codes: 0 ok, 1 API error, 2 usage error, 4 network or other error,
5 checksum mismatch (nothing was kept).
`

// fileFlags are the flags shared by download and bill.
type fileFlags struct {
	creds   credFlags
	out     string
	timeout time.Duration
}

// register adds the shared flags to fs.
func (f *fileFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.out, "o", "", "write the file to `FILE` (\"-\" for stdout)")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Minute, "give up after this `duration` (0: never)")
	f.creds.register(fs)
}

// runDownload is the download subcommand.
func runDownload(ctx context.Context, name string, args []string, stdout, stderr io.Writer, env func(string) string) int {
	var f fileFlags
	var sha1 string
	var gunzip bool
	fs := newFlagSet(name)
	fs.StringVar(&sha1, "sha1", "", "check the file against this hex SHA-1 `digest` (after --gunzip)")
	fs.BoolVar(&gunzip, "gunzip", false, "decompress the file (a bill asked for with tar_type=GZIP)")
	f.register(fs)
	synopsis := "wechatpay download URL -o FILE [--sha1 HEX] [--gunzip]"
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printHelp(stdout, fs, synopsis, downloadHelp)
		return exitOK
	}
	if err == nil && len(positional) != 1 {
		err = usagef("want one URL, got %d arguments", len(positional))
	}
	if err == nil && f.out == "" {
		err = usagef("%w", errNoOutput)
	}
	if err != nil {
		return usageFailure(stderr, name, err)
	}
	var opts []wechatpay.DownloadOption
	if sha1 != "" {
		opts = append(opts, wechatpay.WithHash("SHA1", sha1))
	}
	if gunzip {
		opts = append(opts, wechatpay.WithGunzip())
	}
	return f.fetch(ctx, stderr, stdout, env, func(ctx context.Context, c *wechatpay.Client, w io.Writer, more ...wechatpay.DownloadOption) (int64, error) {
		return c.Download(ctx, positional[0], w, append(opts, more...)...)
	}, sha1 != "")
}

// fetcher downloads into w with the given extra options.
type fetcher func(ctx context.Context, c *wechatpay.Client, w io.Writer, opts ...wechatpay.DownloadOption) (int64, error)

// fetch builds the client, runs get into the -o file with a progress bar
// on a terminal, and reports the outcome.
func (f *fileFlags) fetch(ctx context.Context, stderr, stdout io.Writer, env func(string) string, get fetcher, checked bool) int {
	client, err := f.creds.newClient(env)
	if err != nil {
		return report(stderr, err)
	}
	defer client.CloseIdleConnections()
	ctx, cancel := withTimeout(ctx, f.timeout)
	defer cancel()

	bar := newProgress(stderr, "downloading")
	n, err := writeToFile(f.out, stdout, func(w io.Writer) (int64, error) {
		return get(ctx, client, w, wechatpay.WithProgress(bar.update))
	})
	bar.done(err == nil)
	if err != nil {
		if errors.Is(err, wechatpay.ErrChecksum) && f.out != "-" {
			fmt.Fprintf(stderr, "wechatpay: %s was not written\n", f.out)
		}
		return reportTimeout(stderr, ctx, f.timeout, err)
	}
	check := "not checked (no --sha1)"
	if checked {
		check = "SHA-1 ok"
	}
	fmt.Fprintf(stderr, "wrote %d bytes to %s (%s)\n", n, f.out, check)
	return exitOK
}
