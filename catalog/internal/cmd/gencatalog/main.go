// Command gencatalog rewrites the catalog package's embedded data from the
// source JSON: go generate ./catalog (or go run ./catalog/internal/cmd/gencatalog
// -src DIR -out FILE).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wechatpay-chain/wechatpay/catalog/internal/gen"
)

func main() {
	src := flag.String("src", "../../shared/catalog", "`directory` holding endpoints.json and webhooks.json")
	out := flag.String("out", "data/catalog.tsv.gz", "output `file`")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	endpoints, err := os.ReadFile(filepath.Join(src, "endpoints.json"))
	if err != nil {
		return err
	}
	webhooks, err := os.ReadFile(filepath.Join(src, "webhooks.json"))
	if err != nil {
		return err
	}
	text, err := gen.Generate(endpoints, webhooks)
	if err != nil {
		return err
	}
	packed, err := gen.Compress(text)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, packed, 0o644); err != nil {
		return err
	}
	fmt.Printf("gencatalog: %s: %d bytes of text, %d gzipped\n", out, len(text), len(packed))
	return nil
}
