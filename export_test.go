package wechatpay

import "time"

// SetRetryWaitHook lets a test see every Retry-After wait of c and choose
// the one resty sleeps. Set it before c is used.
func SetRetryWaitHook(c *Client, fn func(time.Duration) time.Duration) { c.waitHook = fn }
