package wechatpay_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/wechatpay-chain/wechatpay"

// TestRootDoesNotLinkCatalog: the package and everything it imports from
// this module (non-test files) stay clear of package catalog, so the
// embedded catalog data is linked only into programs that import it.
func TestRootDoesNotLinkCatalog(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	var visit func(dir string, chain []string)
	visit = func(dir string, chain []string) {
		if seen[dir] {
			return
		}
		seen[dir] = true
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				rel, ok := strings.CutPrefix(path, module+"/")
				if !ok {
					continue
				}
				if rel == "catalog" || strings.HasPrefix(rel, "catalog/") {
					t.Errorf("%s imports %s (via %s): the catalog would be linked into every program", name, path, strings.Join(chain, " -> "))
				}
				if _, err := os.Stat(rel); err == nil {
					visit(rel, append(chain, rel))
				}
			}
		}
	}
	visit(".", []string{"wechatpay"})
	if len(seen) < 3 {
		t.Errorf("only %d packages visited; the import walk is broken", len(seen))
	}
}
