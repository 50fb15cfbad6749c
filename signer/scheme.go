package signer

// Scheme is the authorization scheme and signature type of WeChat Pay
// APIv3: RSA PKCS#1 v1.5 signatures over SHA-256 with 2048-bit keys. It
// prefixes every Authorization header and is the only value accepted in a
// Wechatpay-Signature-Type response header.
const Scheme = "WECHATPAY2-SHA256-RSA2048"

// Names of the headers WeChat Pay puts on signed answers and callbacks.
const (
	HeaderTimestamp     = "Wechatpay-Timestamp"
	HeaderNonce         = "Wechatpay-Nonce"
	HeaderSignature     = "Wechatpay-Signature"
	HeaderSerial        = "Wechatpay-Serial"
	HeaderSignatureType = "Wechatpay-Signature-Type"
	// HeaderStatementSHA1 carries the SHA-1 (hex) of an overseas statement
	// body; the signature of such an answer covers this digest instead of
	// the body.
	HeaderStatementSHA1 = "Wechatpay-Statement-Sha1"
)

// MaxClockSkew is the largest difference, in either direction, allowed
// between the local clock and the Wechatpay-Timestamp of an answer or a
// callback. A difference of exactly MaxClockSkew passes.
const MaxClockSkew = 300 // seconds
