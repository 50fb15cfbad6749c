package wechatpay

import "errors"

// Errors for calls on a nil receiver, instead of a nil-pointer panic.
var (
	errNilClient = errors.New("wechatpay: nil *Client: build one with NewClient")
	errNilChain  = errors.New("wechatpay: nil *Chain: build one with Client.Chain")
)

// usable reports why ch cannot send (a nil chain, or a chain of a nil
// client), or nil.
func (ch *Chain) usable() error {
	switch {
	case ch == nil:
		return errNilChain
	case ch.client == nil:
		return errNilClient
	}
	return nil
}
