package gen

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

const webhooksOK = `{"repository":"r","commit":"c","commit_date":"d","generator":"g","count":0,"webhooks":[],"moved":[]}`

func endpointsWith(path, request string) []byte {
	return []byte(`{"repository":"r","commit":"c","commit_date":"d","generator":"g","count":1,"endpoints":[{"path":"` + path +
		`","method":"POST","api":"v3","title":"T","placeholders":[],"chain":null,"request":[` + request +
		`],"example_only_options":[],"response":[],"no_content":true,"response_kind":"no_content","docs":[],"notices":[],"anomalies":[],"source":"s"}],"moved":[]}`)
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	good := `{"name":"json","type":"object","required":true,"depth":0,"parent":null},{"name":"a","type":"string","required":false,"depth":1,"parent":"json"}`
	text, err := Generate(endpointsWith("v3/x", good), []byte(webhooksOK))
	if err != nil {
		t.Fatal(err)
	}
	want := "#\tr\tc\td\tg\nE\tPOST\tv3/x\tv3\tT\t\tno_content\t1\ts\nQ\tjson\tobject\t1\t0\t\t\t\t\t\nQ\ta\tstring\t0\t1\t\t\t\t\t\n"
	if string(text) != want {
		t.Errorf("text:\n%q\nwant\n%q", text, want)
	}
	packed, err := Compress(text)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		t.Fatal(err)
	}
	back, _ := io.ReadAll(zr)
	if !bytes.Equal(back, text) || !zr.ModTime.IsZero() || zr.Name != "" {
		t.Errorf("Compress does not round-trip reproducibly (name %q, time %v)", zr.Name, zr.ModTime)
	}
	again, _ := Compress(text)
	if !bytes.Equal(packed, again) {
		t.Error("Compress is not deterministic")
	}

	for name, tc := range map[string]struct{ path, request, webhooks, wantErr string }{
		"wrong parent":      {"v3/x", `{"name":"json","type":"object","required":true,"depth":0,"parent":null},{"name":"a","type":"string","required":false,"depth":1,"parent":"query"}`, webhooksOK, "parent"},
		"tab in a value":    {"v3/x", `{"name":"a\tb","type":"string","required":false,"depth":0,"parent":null}`, webhooksOK, "tab"},
		"placeholders":      {"v3/{id}", good, webhooksOK, "placeholders"},
		"unknown key":       {"v3/x", `{"name":"a","type":"string","required":false,"depth":0,"parent":null,"colour":"red"}`, webhooksOK, "unknown field"},
		"commits disagree":  {"v3/x", good, strings.Replace(webhooksOK, `"commit":"c"`, `"commit":"other"`, 1), "commit"},
		"count disagrees":   {"v3/x", good, strings.Replace(webhooksOK, `"count":0`, `"count":2`, 1), "counts"},
		"parent at depth 0": {"v3/x", `{"name":"a","type":"string","required":false,"depth":0,"parent":"x"}`, webhooksOK, "parent"},
	} {
		_, err := Generate(endpointsWith(tc.path, tc.request), []byte(tc.webhooks))
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: err = %v, want one mentioning %q", name, err, tc.wantErr)
		}
	}
}
