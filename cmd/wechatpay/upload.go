package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wechatpay-chain/wechatpay"
)

// uploadHelp is the text after the flags in "wechatpay upload -h".
const uploadHelp = `Uploads FILE to the media upload endpoint PATH as multipart/form-data: the
"meta" JSON part first, then the file part. The signature covers the meta
JSON. Without --meta the meta is {"filename":…,"sha256":…} (images, videos,
marketing media); endpoints that name the digest otherwise take --meta and,
when the file part is not called "file", --field. The answer (a media_id)
is printed on stdout.

Examples:
  wechatpay upload v3/merchant-service/images/upload logo.png
  wechatpay upload v3/mch-manage/submission-files/sub-mchid/{sub_mchid}/upload licence.pdf \
      -p sub_mchid=1900000109 --field submission_file \
      --meta '{"file_name":"licence.pdf","file_digest":"<sha256 hex>","item_id":3}'
`

// runUpload is the upload subcommand.
func runUpload(ctx context.Context, name string, args []string, stdout, stderr io.Writer, env func(string) string) int {
	var creds credFlags
	var vars pairFlag
	var meta, field string
	var include bool
	var timeout time.Duration
	fs := newFlagSet(name)
	vars.flag = "-p"
	fs.Var(&vars, "p", "set template variable `name=value` (repeatable)")
	fs.StringVar(&meta, "meta", "", "the meta `JSON` to send, inline or @file (default {filename, sha256})")
	fs.StringVar(&field, "field", "file", "`name` of the file part")
	fs.BoolVar(&include, "i", false, "print the status line and headers before the body")
	fs.DurationVar(&timeout, "timeout", time.Minute, "give up after this `duration`")
	creds.register(fs)
	synopsis := "wechatpay upload PATH FILE [--meta JSON|@file] [--field NAME] [-p name=value]…"
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printHelp(stdout, fs, synopsis, uploadHelp)
		return exitOK
	}
	if err == nil && len(positional) != 2 {
		err = usagef("want PATH and FILE, got %d arguments", len(positional))
	}
	opts := wechatpay.Options{}
	if err == nil {
		var vs map[string]string
		if vs, err = vars.vars(); err != nil {
			err = usagef("%w", err)
		}
		for k, v := range vs {
			opts[k] = v
		}
	}
	up := wechatpay.Upload{Field: field}
	if err == nil && meta != "" {
		var raw json.RawMessage
		if raw, err = readJSON(meta); err != nil {
			err = usagef("--meta: %w", err)
		} else if up.Meta, err = decodeObject(raw); err != nil {
			err = usagef("--meta: %w", err)
		}
	}
	if err != nil {
		return usageFailure(stderr, name, err)
	}
	file, err := os.Open(positional[1])
	if err != nil {
		return usageFailure(stderr, name, usagef("FILE: %w", err))
	}
	up.Filename, up.Content = filepath.Base(positional[1]), file // Upload closes it
	opts["upload"] = up

	client, err := creds.newClient(env)
	if err != nil {
		file.Close()
		return report(stderr, err)
	}
	defer client.CloseIdleConnections()
	ctx, cancel := withTimeout(ctx, timeout)
	defer cancel()
	resp, err := client.Chain(positional[0]).Post(ctx, opts)
	if err != nil {
		return reportTimeout(stderr, ctx, timeout, err)
	}
	writeAnswer(stdout, resp.StatusCode(), resp.Header(), resp.Body(), include)
	if len(resp.Body()) == 0 {
		fmt.Fprintf(stderr, "HTTP %s\n", statusText(resp.StatusCode()))
	}
	return exitOK
}

// decodeObject decodes a JSON object keeping numbers exact (json.Number
// marshals back as written, so an id above 2^53 survives).
func decodeObject(raw []byte) (wechatpay.M, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m wechatpay.M
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, errors.New("want a JSON object")
	}
	return m, nil
}
