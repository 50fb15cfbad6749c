package catalog

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay/catalog/internal/gen"
)

// TestEmbeddedDataInStep regenerates the embedded text from
// ../shared/catalog and compares it with data/catalog.tsv.gz.
func TestEmbeddedDataInStep(t *testing.T) {
	t.Parallel()
	want, err := gen.Generate(readShared(t, "endpoints.json"), readShared(t, "webhooks.json"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("data/catalog.tsv.gz is out of step with %s (run go generate ./catalog); first difference at line %d:\n embedded: %q\n source:   %q", sharedCatalog, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("data/catalog.tsv.gz is out of step with %s (run go generate ./catalog): %d lines embedded, %d from the source", sharedCatalog, len(gl), len(wl))
	}
}

// TestDecodeRejectsCorruptData feeds the parser broken text.
func TestDecodeRejectsCorruptData(t *testing.T) {
	t.Parallel()
	origin := "#\twechatpay-im/website\tc0ffee\t2026-08-22T08:55:35+08:00\tgen\n"
	ep := "E\tGET\tv3/x\tv3\tT\t\tfields\t0\tsrc\n"
	for name, text := range map[string]string{
		"unknown record":      origin + "Z\tx\n",
		"short record":        origin + "E\tGET\tv3/x\n",
		"field outside":       origin + "Q\ta\tstring\t1\t0\t\t\t\t\t\n",
		"doc outside":         origin + "D\thttps://x\n",
		"bad depth":           origin + ep + "Q\ta\tstring\t1\tx\t\t\t\t\t\n",
		"negative depth":      origin + ep + "Q\ta\tstring\t1\t-1\t\t\t\t\t\n",
		"bad required":        origin + ep + "Q\ta\tstring\tyes\t0\t\t\t\t\t\n",
		"no final line break": origin + strings.TrimSuffix(ep, "\n"),
		"no origin":           ep,
		"no endpoints":        origin,
		"duplicate":           origin + ep + ep,
	} {
		if _, err := parse(text); err == nil {
			t.Errorf("%s: parse accepted %q", name, text)
		}
	}
	if _, err := decode([]byte("not gzip")); err == nil {
		t.Error("decode accepted bytes that are not gzip")
	}
	if _, err := parse(origin + ep); err != nil {
		t.Errorf("parse refused a minimal catalog: %v", err)
	}
}
