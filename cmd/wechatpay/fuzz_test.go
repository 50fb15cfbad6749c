package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseCall feeds arbitrary command lines (NUL-separated) to the call
// parser: it must never panic, and every failure must be a usage error or
// a help request.
func FuzzParseCall(f *testing.F) {
	for _, s := range []string{
		"v3/x/{id}\x00-p\x00id=1\x00-q\x00a=1\x00-q\x00a=2",
		"--json\x00{\"a\":1}\x00v3/a\x00-H\x00X-A: b\x00-i",
		"--\x00-p",
		"-p\x00=\x00-H\x00:\x00--json\x00@",
		"v3/a\x00--timeout\x00-1s\x00--mchid\x00x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, "\x00")
		req, _, err := parseCall("post", args)
		if err != nil {
			if !errors.Is(err, flag.ErrHelp) && exitCode(err) != exitUsage {
				t.Fatalf("parseCall(%q): %v maps to exit %d, want %d", args, err, exitCode(err), exitUsage)
			}
			return
		}
		if strings.Trim(req.path, "/ ") == "" {
			t.Fatalf("parseCall(%q): empty PATH accepted", args)
		}
		if h, ok := req.opts["headers"]; ok && h == nil {
			t.Fatalf("nil headers option")
		}
	})
}

// FuzzParseCerts feeds arbitrary WECHATPAY_CERTS values to the parser: it
// must never panic and never accept a value without a serial=file entry.
func FuzzParseCerts(f *testing.F) {
	for _, s := range []string{"abc", "S=", "=f", "S=/nonexistent", ",,", "PUB_KEY_ID_1=testdata/none.pem, S2=main.go"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		if strings.Contains(list, "/dev") || strings.Contains(list, "/proc") || strings.Contains(list, "/sys") {
			t.Skip("device files may block or never end")
		}
		keys, err := parseCerts(list)
		if err == nil && len(keys) == 0 {
			t.Fatalf("parseCerts(%q) accepted no keys", list)
		}
		if err == nil && !strings.Contains(list, "=") {
			t.Fatalf("parseCerts(%q) accepted a list without '='", list)
		}
	})
}

// FuzzReadJSON: readJSON never panics; what it accepts is valid compact
// JSON, and a syntax error names a byte position inside the input.
func FuzzReadJSON(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"a":1,}`, "{\n \"a\": 1\n \"b\": 2}", `{a:1}`, `hello`, `[1,2,]`, `"x`, ``, `@`, ` 1 2`} {
		f.Add(s)
	}
	bytePos := regexp.MustCompile(`\(byte (\d+)\)`)
	f.Fuzz(func(t *testing.T, s string) {
		if strings.HasPrefix(s, "@") {
			return // names a file or stdin
		}
		raw, err := readJSON(s)
		if err != nil {
			if m := bytePos.FindStringSubmatch(err.Error()); m != nil {
				if n, _ := strconv.Atoi(m[1]); n > len(s) {
					t.Fatalf("readJSON(%q): position %d beyond the %d-byte input: %v", s, n, len(s), err)
				}
			}
			return
		}
		if !json.Valid(raw) {
			t.Fatalf("readJSON(%q) accepted invalid JSON %q", s, raw)
		}
		var buf bytes.Buffer
		if json.Compact(&buf, raw) != nil || buf.String() != string(raw) {
			t.Fatalf("readJSON(%q) = %q, not compact", s, raw)
		}
	})
}
