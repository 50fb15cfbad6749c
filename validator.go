package wechatpay

import "fmt"

// runValidator calls Config.Validator, when there is one, with the chain's
// template path and the JSON body about to be sent. It is called only for
// requests whose body is the "json" option or that have no body at all
// (nil): a raw "body", a media upload or any other encoded body is not JSON
// the validator could judge. Its error stops the call before signing and before any I/O, and
// stays reachable with errors.Is and errors.As.
func (ch *Chain) runValidator(method string, opts Options, body []byte) error {
	v := ch.client.validator
	if v == nil {
		return nil
	}
	if _, hasJSON := opts[optJSON]; !hasJSON && body != nil {
		return nil
	}
	if err := v(method, ch.path, body); err != nil {
		return fmt.Errorf("wechatpay: %s %s: refused by Config.Validator before sending: %w", method, ch.path, err)
	}
	return nil
}
