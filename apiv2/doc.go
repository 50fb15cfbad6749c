// Package apiv2 holds the mechanics of WeChat Pay APIv2, independent of any
// HTTP client: the XML codec, the sign and the refund-notification cipher.
//
// A guided tour:
//
//   - XML. [Encode] turns a flat map into <xml><k>v</k>…</xml> (sorted keys,
//     CDATA for values holding <, >, & or "). [Decode] reads an answer or a
//     notification safely: DTDs, entity declarations and processing
//     instructions other than the XML declaration are refused, so a
//     billion-laughs document costs nothing; unknown entities are syntax
//     errors; duplicate fields are refused; indexed names such as
//     coupon_type_0 stay ordinary fields; a field holding elements keeps
//     its inner XML as its value. Callers bound the input size.
//
//   - Sign. [Sign] sorts the keys byte-wise, skips "sign" and empty values,
//     joins k=v with &, appends &key=<secret> and hashes with MD5 (the
//     default) or HMAC-SHA256 (keyed with the secret), in upper-case hex.
//     [Verify] checks the "sign" field, inferring the type from its length
//     (32 hex characters MD5, 64 HMAC-SHA256); every failure is a
//     *signer.VerificationError matching signer.ErrVerification.
//
//   - Refund notifications. [DecryptRefundInfo] opens req_info:
//     AES-256-ECB with PKCS#7 padding under the lower-case hex MD5 of the
//     secret; failures match signer.ErrDecryption.
//
//   - Endpoints. [IsUnsignedAnswer] names the endpoints whose answers WeChat
//     Pay does not sign; [CheckSignType] the endpoints with a fixed sign
//     type.
//
// Nothing here logs, and no error contains the secret.
package apiv2
