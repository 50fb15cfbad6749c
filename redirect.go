package wechatpay

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// maxRedirects bounds a redirect chain, as net/http does by default.
const maxRedirects = 10

// sameHostRedirects returns a CheckRedirect policy that follows a redirect
// only to the base URL's scheme and host. The signer signs every hop afresh,
// so following a redirect elsewhere would hand a valid signature to another
// server. next, when not nil, is the caller's own policy, consulted after.
func sameHostRedirects(base *url.URL, next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != base.Scheme || req.URL.Host != base.Host {
			return fmt.Errorf("wechatpay: refusing to follow a redirect to %s://%s: only %s://%s is trusted with signed requests",
				req.URL.Scheme, req.URL.Host, base.Scheme, base.Host)
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= maxRedirects {
			return errors.New("wechatpay: stopped after 10 redirects")
		}
		return nil
	}
}
