package wechatpay

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// errRedirect is behind every redirect the client will not follow; such a
// failure is permanent and never retried.
var errRedirect = errors.New("wechatpay: redirect not followed")

// maxRedirects bounds a redirect chain, as net/http does by default.
const maxRedirects = 10

// sameHostRedirects returns a CheckRedirect policy that follows a redirect
// only to the base URL's scheme and host. The signer signs every hop afresh,
// so following a redirect elsewhere would hand a valid signature to another
// server. next, when not nil, is the caller's own policy, consulted after.
func sameHostRedirects(base *url.URL, next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != base.Scheme || req.URL.Host != base.Host {
			return fmt.Errorf("%w: refusing a redirect to %s://%s: only %s://%s is trusted with signed requests",
				errRedirect, req.URL.Scheme, req.URL.Host, base.Scheme, base.Host)
		}
		if next != nil {
			err := next(req, via)
			if err == nil || errors.Is(err, http.ErrUseLastResponse) {
				return err // net/http compares ErrUseLastResponse by identity
			}
			return fmt.Errorf("%w: %w", errRedirect, err)
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("%w: stopped after %d redirects", errRedirect, maxRedirects)
		}
		return nil
	}
}
