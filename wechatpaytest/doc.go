// Package wechatpaytest runs an in-process WeChat Pay APIv3 server for tests
// and demos. It follows the published protocol, not any one client, so it is
// an independent check of a client's signatures; its cryptography uses the
// standard library directly.
//
// [NewServer] starts it on 127.0.0.1 with generated keys (or the ones given
// by options) and Server.URL is the base URL to give a client, with
// [Server.MchID], [Server.MerchantSerial], [Server.MerchantKey] and
// [Server.Certs] for the rest of its configuration.
//
// Every request's Authorization (WECHATPAY2-SHA256-RSA2048) is checked as
// WeChat Pay checks it: merchant id, serial, a timestamp within 300 seconds,
// the nonce, and an RSA-SHA256 signature over
// METHOD\nREQUEST-URI\nTIMESTAMP\nNONCE\nBODY\n (for media uploads, over the
// meta part). A request that fails is answered 401 SIGN_ERROR with a message
// saying what was wrong. Every answer, errors included, is signed with the
// platform key in Wechatpay-Timestamp, -Nonce, -Signature and -Serial, and
// carries a unique Request-ID.
//
// The built-in routes (Route* constants) cover the seed example, Native and
// JSAPI orders (create, query, close), refunds, platform certificates, the
// documented media uploads (each checking its endpoint's meta digest against
// the file part, meta first) and trade and fund-flow bills (plain or
// tar_type=GZIP, hash_value over the uncompressed bill, download_url on the
// server itself, served unsigned as WeChat Pay does). [Server.Pay] and
// [Server.CompleteRefund] move an order or a refund on and return the
// resource of the matching callback. [Server.Handle] adds routes or overrides the built-in ones
// with a [Handler] returning a [Reply]. Every other APIv3 endpoint of
// package catalog is answered from the catalog: required request fields
// checked, then a signed answer shaped by the documented response fields
// (see [WithoutCatalog], which turns this off). [Server.Requests] shows what was
// received; [Server.Fault] injects delays, error statuses and broken
// signatures; [Server.Notify] sends a signed callback whose resource is
// encrypted under the APIv3 key, and its options send the faults a
// merchant's handler must refuse ([NotifyProbe], [NotifyClockSkew],
// [NotifySignedBy], [NotifyAlterResource]). [WithCertificateRotation]
// serves a certificate rotation and [WithGrayPeriod] the migration from
// certificates to the public key ([NotifySignedByCertificate]).
//
// [NewV2Server] starts an APIv2 server over TLS with its own certificate
// authority ([V2Server.RootCAs], [V2Server.ClientCertificate]): it checks
// the merchant id, nonce_str and the MD5 or HMAC-SHA256 sign of every XML
// request with its own code, requires the merchant certificate on the
// mutual-TLS endpoints, serves pay/micropay, pay/orderquery,
// secapi/pay/refund and mmpaymkttransfers/sendredpack (unsigned answer),
// and builds APIv2 payment and refund notifications.
package wechatpaytest
