package catalog

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedCatalog is where the source JSON lives in the project's layout:
// ../shared/catalog relative to the repository root.
var sharedCatalog = filepath.Join("..", "..", "shared", "catalog")

// readShared returns a file of ../shared/catalog. When the directory is
// missing the test is skipped, or fails when CI=true (CI must check it).
func readShared(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedCatalog, name))
	if os.IsNotExist(err) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing and CI=true: the catalog cannot be checked against its source", filepath.Join(sharedCatalog, name))
		}
		t.Skipf("skipped: %s is not here (the project's ../shared directory); with CI=true this fails", filepath.Join(sharedCatalog, name))
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}
