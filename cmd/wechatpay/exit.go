package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// Exit codes.
const (
	exitOK           = 0 // success
	exitAPI          = 1 // WeChat Pay answered a non-2xx status
	exitUsage        = 2 // bad flags, missing credentials, template or option errors
	exitVerification = 3 // the answer's signature did not verify
	exitOther        = 4 // network and everything else
	exitChecksum     = 5 // a downloaded file's digest did not match
)

// usageError is a mistake in the command line or the environment; it maps
// to exitUsage.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usageError with a formatted message (%w allowed).
func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// exitCode maps an error to the exit code documented in the help.
func exitCode(err error) int {
	var apiErr *wechatpay.APIError
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, wechatpay.ErrChecksum):
		return exitChecksum
	case errors.As(err, &ue), errors.Is(err, wechatpay.ErrTemplate):
		return exitUsage
	case errors.Is(err, wechatpay.ErrVerification):
		return exitVerification
	case errors.As(err, &apiErr):
		return exitAPI
	default:
		return exitOther
	}
}

// report writes err to stderr the way its class deserves and returns the
// exit code.
func report(stderr io.Writer, err error) int {
	code := exitCode(err)
	var apiErr *wechatpay.APIError
	switch {
	case code == exitAPI && errors.As(err, &apiErr) && !fromWeChatPay(apiErr.Header):
		fmt.Fprintf(stderr, "wechatpay: %s %s: HTTP %d, and the answer did NOT come from WeChat Pay (no Request-ID, no Wechatpay-* headers)\n",
			apiErr.Method, apiErr.Path, apiErr.StatusCode)
		fmt.Fprintln(stderr, "  check --base-url / "+envBaseURL+": a proxy, a gateway or another server answered")
		if len(apiErr.Body) > 0 {
			fmt.Fprintf(stderr, "  body:       %s\n", truncate(apiErr.Body, 512))
		}
	case code == exitAPI && errors.As(err, &apiErr):
		fmt.Fprintf(stderr, "wechatpay: %s %s: HTTP %d\n", apiErr.Method, apiErr.Path, apiErr.StatusCode)
		fmt.Fprintf(stderr, "  code:       %s\n", orDash(apiErr.Code))
		fmt.Fprintf(stderr, "  message:    %s\n", orDash(apiErr.Message))
		if len(apiErr.Detail) > 0 {
			fmt.Fprintf(stderr, "  detail:     %s\n", apiErr.Detail)
		}
		fmt.Fprintf(stderr, "  request id: %s\n", orDash(apiErr.RequestID))
		if apiErr.Code == "" && len(apiErr.Body) > 0 {
			fmt.Fprintf(stderr, "  body:       %s\n", truncate(apiErr.Body, 512))
		}
	case code == exitVerification:
		fmt.Fprintf(stderr, "wechatpay: the answer is NOT trusted: %s\n", strings.TrimPrefix(err.Error(), "wechatpay: "))
		if ve, ok := errors.AsType[*signer.VerificationError](err); ok && ve.Header != nil && !fromWeChatPay(ve.Header) {
			fmt.Fprintln(stderr, "  the answer did NOT come from WeChat Pay (no Request-ID, no Wechatpay-* headers): check --base-url / "+envBaseURL)
		} else {
			fmt.Fprintln(stderr, "  check WECHATPAY_CERTS (platform certificate serial or PUB_KEY_ID_…) and the system clock")
		}
	case code == exitChecksum:
		fmt.Fprintf(stderr, "wechatpay: %s\n", strings.TrimPrefix(err.Error(), "wechatpay: "))
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "wechatpay: interrupted")
	default:
		fmt.Fprintf(stderr, "wechatpay: %s\n", strings.TrimPrefix(err.Error(), "wechatpay: "))
	}
	return code
}

// fromWeChatPay reports whether an answer's header carries any sign of
// WeChat Pay: a Request-ID or a Wechatpay-* header.
func fromWeChatPay(h http.Header) bool {
	if h.Get("Request-ID") != "" {
		return true
	}
	for k := range h {
		if strings.HasPrefix(http.CanonicalHeaderKey(k), "Wechatpay-") {
			return true
		}
	}
	return false
}

// usageFailure reports a command-line mistake of subcommand name.
func usageFailure(stderr io.Writer, name string, err error) int {
	fmt.Fprintf(stderr, "wechatpay %s: %v\n(run \"wechatpay %s -h\" for help)\n", name, err, name)
	return exitUsage
}

// withTimeout bounds ctx by d; 0 means no bound.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// reportTimeout is report, naming --timeout when it is what ended the call.
func reportTimeout(stderr io.Writer, ctx context.Context, timeout time.Duration, err error) int {
	if timeout > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) && errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "wechatpay: gave up after --timeout %s: %s\n", timeout, strings.TrimPrefix(err.Error(), "wechatpay: "))
		fmt.Fprintln(stderr, "  give more time with --timeout, e.g. --timeout 2m (0: no limit)")
		return exitOther
	}
	return report(stderr, err)
}

// orDash returns s, or "-" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// truncate returns b as text, cut to at most n bytes.
func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}
