package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// command is one subcommand: its runner gets the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, name string, args []string, stdout, stderr io.Writer, env func(string) string) int
}

// commands lists the subcommands in the order "help" shows them.
func commands() []command {
	call := func(ctx context.Context, name string, args []string, stdout, stderr io.Writer, env func(string) string) int {
		return runCall(ctx, name, args, stdout, stderr, env)
	}
	return []command{
		{"demo", "run the seed example in every chain style against an in-process server", runDemo},
		{"get", "send a signed GET and verify the answer", call},
		{"post", "send a signed POST and verify the answer", call},
		{"put", "send a signed PUT and verify the answer", call},
		{"patch", "send a signed PATCH and verify the answer", call},
		{"delete", "send a signed DELETE and verify the answer", call},
		{"mock", "run a local WeChat Pay server until interrupted", runMock},
		{"download", "download a file (a bill's download_url) with a signed GET, SHA-1 checked", runDownload},
		{"bill", "apply for a trade or fund-flow bill and download it, hash checked", runBill},
		{"upload", "upload an image or file to a media upload endpoint", runUpload},
		{"notify", "send a signed, encrypted callback from the mock's keys to your handler", runNotify},
		{"certificates", "download, verify and write the platform certificates", runCertificates},
		{"describe", "show the documented fields, docs and notices of an endpoint", runDescribe},
		{"endpoints", "search the endpoint catalog by path words or title", runEndpoints},
	}
}

// run is the whole program: it parses args (without the program name),
// writes to stdout and stderr, reads the environment through env and
// returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) int {
	if len(args) == 0 {
		topUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			return run(ctx, []string{args[1], "-h"}, stdout, stderr, env)
		}
		topUsage(stdout)
		return exitOK
	case "-v", "-version", "--version", "version":
		fmt.Fprintln(stdout, versionLine())
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, c.name, args[1:], stdout, stderr, env)
		}
	}
	fmt.Fprintf(stderr, "wechatpay: unknown command %q\n\n", args[0])
	topUsage(stderr)
	return exitUsage
}
