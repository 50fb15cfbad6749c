package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/catalog"
)

// parseCatalogArgs parses the flags and arguments of describe and
// endpoints (flags may follow arguments). It prints the help on -h and
// reports bad flags; when done is true the command must return code.
func parseCatalogArgs(fs *flag.FlagSet, args []string, synopsis, help string, stdout, stderr io.Writer) (positional []string, code int, done bool) {
	positional, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printHelp(stdout, fs, synopsis, help)
		return nil, exitOK, true
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
		return nil, exitUsage, true
	}
	return positional, exitOK, false
}

// catalogFlags are the call flags about the endpoint catalog.
type catalogFlags struct {
	noValidate bool
}

// register adds --no-validate to fs.
func (f *catalogFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.noValidate, "no-validate", false, "send the --json body without checking it against the endpoint catalog")
}

// checkWithCatalog runs before a call: a PATH the catalog does not know
// gets a note naming the nearest documented paths (the call still goes
// out: the docs lag behind the API); a --json body that does not match the
// documented fields stops the call with exit code 2 unless --no-validate.
func checkWithCatalog(stderr io.Writer, req *callRequest, chain *wechatpay.Chain) (code int, stop bool) {
	if req.flags.catalog.noValidate || chain.Err() != nil {
		return exitOK, false
	}
	path := chain.Path()
	if _, ok := catalog.Lookup(req.method, path); !ok {
		notCatalogued(stderr, req.method, path)
		fmt.Fprintln(stderr, "  (sending it anyway)")
		return exitOK, false
	}
	var body []byte
	if raw, ok := req.opts["json"].(json.RawMessage); ok {
		body = raw
	} else if verbatim, ok := req.opts["body"].([]byte); ok { // --body
		body = verbatim
	}
	// A verbatim --body is checked too when it is JSON (the CLI sends it
	// as application/json unless -H says otherwise).
	switch raw := req.opts["body"].(type) {
	case []byte:
		body = raw
	case string:
		body = []byte(raw)
	}
	err := catalog.Validate(req.method, path, body)
	var ve *catalog.ValidationError
	if !errors.As(err, &ve) {
		return exitOK, false
	}
	fmt.Fprintf(stderr, "wechatpay: %s %s: not sent, the request does not match the endpoint catalog:\n", ve.Method, ve.Path)
	for _, p := range ve.Problems {
		fmt.Fprintf(stderr, "  %s\n", p)
	}
	src := catalog.Origin()
	fmt.Fprintf(stderr, "  (the catalog comes from %s of %s and may lag behind the API; --no-validate sends the request anyway;\n   \"wechatpay describe %s %s\" shows the documented fields)\n",
		src.Repository, src.CommitDate[:min(10, len(src.CommitDate))], ve.Method, ve.Path)
	return exitUsage, true
}
