package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeToFile runs write with a writer for path ("-" is stdout). A file is
// written under a temporary name in the same directory and renamed to path
// only when write succeeds, so a failed or unverified download never
// leaves a file that looks complete.
func writeToFile(path string, stdout io.Writer, write func(io.Writer) (int64, error)) (int64, error) {
	if path == "-" {
		return write(stdout)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".part-*")
	if err != nil {
		return 0, fmt.Errorf("-o %s: %w", path, err)
	}
	n, err := write(f)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("-o %s: %w", path, cerr)
	}
	if err == nil {
		if err = os.Rename(f.Name(), path); err != nil {
			err = fmt.Errorf("-o %s: %w", path, err)
		}
	}
	if err != nil {
		os.Remove(f.Name())
		return n, err
	}
	return n, nil
}

// errNoOutput: a download needs -o.
var errNoOutput = errors.New("missing -o FILE (\"-o -\" writes to stdout)")
