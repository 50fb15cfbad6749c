package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay"
)

func TestParseCall(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		path    string
		opts    wechatpay.Options
		include bool
		err     string // substring of the error; "" for none
	}{
		{
			name:    "flags after PATH",
			args:    []string{"v3/pay/transactions/out-trade-no/{out_trade_no}", "-p", "out_trade_no=A1", "-q", "mchid=1230000109", "-i"},
			path:    "v3/pay/transactions/out-trade-no/{out_trade_no}",
			opts:    wechatpay.Options{"out_trade_no": "A1", "query": url.Values{"mchid": {"1230000109"}}},
			include: true,
		},
		{
			name: "flags before and after, double dash form",
			args: []string{"--json", `{ "b": 1, "a": 12345678901234567890 }`, "v3/x/{id}", "-p", "id=a=b", "-H", "Wechatpay-Serial: PUB_KEY_ID_1"},
			path: "v3/x/{id}",
			opts: wechatpay.Options{
				"id":      "a=b",
				"json":    json.RawMessage(`{"b":1,"a":12345678901234567890}`),
				"headers": http.Header{"Wechatpay-Serial": {"PUB_KEY_ID_1"}},
			},
		},
		{
			name: "repeated query names make a list",
			args: []string{"v3/bills", "-q", "a=1", "-q", "a=2", "-q", "b="},
			path: "v3/bills",
			opts: wechatpay.Options{"query": url.Values{"a": {"1", "2"}, "b": {""}}},
		},
		{
			name: "double dash ends flags",
			args: []string{"--", "-weird/path"},
			path: "-weird/path",
			opts: wechatpay.Options{},
		},
		{name: "missing PATH", args: []string{"-i"}, err: "missing PATH"},
		{name: "empty PATH", args: []string{"", "-i"}, err: `PATH "" names no endpoint`},
		{name: "slash PATH", args: []string{"--", "/"}, err: `PATH "/" names no endpoint`},
		{name: "two PATHs", args: []string{"v3/a", "v3/b"}, err: "want one PATH, got 2"},
		{name: "unknown flag", args: []string{"v3/a", "--nope"}, err: "flag provided but not defined: -nope"},
		{name: "bad -p", args: []string{"v3/a", "-p", "novalue"}, err: `"novalue": want name=value`},
		{name: "empty -p name", args: []string{"v3/a", "-p", "=v"}, err: `want name=value`},
		{name: "duplicate -p", args: []string{"v3/{a}", "-p", "a=1", "-p", "a=2"}, err: "-p a: given twice"},
		{name: "reserved -p", args: []string{"v3/a", "-p", "json=1"}, err: `"json" is a reserved option name`},
		{name: "bad -H", args: []string{"v3/a", "-H", "NoColon"}, err: `want 'Name: value'`},
		{name: "Authorization -H", args: []string{"v3/a", "-H", "authorization: x"}, err: "Authorization is computed by the signer"},
		{name: "bad JSON", args: []string{"v3/a", "--json", `{"a":}`}, err: `--json: inline JSON: invalid JSON at line 1, column 6 (byte 5), near "{\"a\":}"`},
		{name: "two JSON values", args: []string{"v3/a", "--json", `{} {}`}, err: "invalid JSON"},
		{name: "missing JSON file", args: []string{"v3/a", "--json", "@/nonexistent/x.json"}, err: "--json: open /nonexistent/x.json"},
		{name: "bad duration", args: []string{"v3/a", "--timeout", "soon"}, err: "-timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, _, err := parseCall("post", tt.args)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.err)
				}
				if got := exitCode(err); got != exitUsage {
					t.Errorf("exitCode = %d, want %d", got, exitUsage)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if req.method != "POST" || req.path != tt.path || req.flags.include != tt.include {
				t.Errorf("method, path, include = %s %q %v; want POST %q %v", req.method, req.path, req.flags.include, tt.path, tt.include)
			}
			if diff := cmp.Diff(tt.opts, req.opts); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCallHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-h"}, {"v3/a", "--help"}} {
		if _, _, err := parseCall("get", args); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("parseCall(%q) = %v, want flag.ErrHelp", args, err)
		}
	}
}

func TestReadJSONFile(t *testing.T) {
	t.Parallel()
	p := writeTemp(t, "order.json", []byte("{\n  \"description\": \"<QQ公仔>\",\n  \"amount\": {\"total\": 100}\n}\n"))
	got, err := readJSON("@" + p)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"description":"<QQ公仔>","amount":{"total":100}}`; string(got) != want {
		t.Errorf("readJSON = %s, want %s", got, want)
	}
	for _, bad := range []string{"@", "@" + writeTemp(t, "empty.json", nil)} {
		if _, err := readJSON(bad); err == nil {
			t.Errorf("readJSON(%q) = nil error", bad)
		}
	}
}

func TestExitCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, exitOK},
		{"API error", &wechatpay.APIError{StatusCode: 401, Code: "SIGN_ERROR"}, exitAPI},
		{"wrapped API error", errors.Join(errors.New("ctx"), &wechatpay.APIError{StatusCode: 500}), exitAPI},
		{"usage", usagef("missing PATH"), exitUsage},
		{"template", errors.Join(errors.New("chain"), wechatpay.ErrTemplate), exitUsage},
		{"verification", errors.Join(errors.New("bad signature"), wechatpay.ErrVerification), exitVerification},
		{"network", errors.New("dial tcp: connection refused"), exitOther},
		{"cancelled", context.Canceled, exitOther},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("%s: exitCode = %d, want %d", tt.name, got, tt.want)
		}
	}
}
