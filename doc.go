// Package wechatpay calls any WeChat Pay APIv3 endpoint through one
// chainable, template-driven request builder, signing every request and
// verifying every answer.
//
// A tour:
//
//   - [NewClient] takes a [Config]: merchant id, certificate serial, private
//     key and the platform keys (or public key id) that verify answers.
//   - [Client.Chain] names an endpoint with an RFC 6570 URI template: an
//     argument holding '/' is a template taken verbatim (literal ids stay
//     as typed), an argument without '/' is a segment name, normalised
//     ("membercardOpen" becomes "membercard-open", "_card_id_" becomes
//     "{card_id}").
//   - [Chain.Post] and its siblings send [Options]: template variables plus
//     the reserved keys ([ReservedOptionKeys]: json, body, query, headers,
//     retry, upload). Variables are strict: undefined, unknown and unsafe values, and
//     bad headers, are [ErrTemplate] errors before any network I/O.
//   - Every request passes through [Client.Stack], a named middleware stack
//     ("log", "signer", "verifier") that users may extend.
//   - Answers come back as a verified [*Response], or an [*APIError] for
//     non-2xx statuses; signature failures match [ErrVerification].
//   - Callbacks: with Config.APIv3Key, [Client.NotificationHandler] (or
//     [Client.ParseNotificationBytes] for frameworks) verifies and decrypts
//     WeChat Pay's notifications; [Sensitive] fields in the json option are
//     encrypted for the platform key; platform certificates are downloaded
//     when an unknown serial appears, or by [Client.RefreshCertificates].
//   - A path starting with "v2/" is an APIv2 call through the same chain:
//     Options "xml", "security" (mutual TLS) and "nonceless", the XML sign
//     added and the answer's sign verified by the same stack entries,
//     fields read with [Response.Get]; [Client.V2NotificationHandler]
//     serves APIv2 notifications. A Config with MchID and APIv2Key alone
//     is an APIv2-only client.
//   - [Chain.PostAsync] and friends return a [*Future]; [Go] and [Then]
//     compose futures.
//   - Package [github.com/wechatpay-chain/wechatpay/wechatpaytest] runs an
//     in-process WeChat Pay server that checks every signature, for tests
//     and the examples here; cmd/wechatpay is a command-line client and mock.
package wechatpay
