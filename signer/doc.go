// Package signer holds the cryptography of WeChat Pay APIv3, independent
// of any HTTP client.
//
// A guided tour:
//
//   - Requests. A merchant signs RequestMessage (METHOD, target, timestamp,
//     nonce, body, one per line) with its API key. NewSigner wraps the
//     merchant id, the API certificate serial and the key (any
//     crypto.Signer with an RSA key, so KMS and HSM keys work);
//     Signer.Authorization returns the ready Authorization header value,
//     whose format Authorization.String fixes and ParseAuthorization reads
//     back strictly.
//
//   - Answers and callbacks. WeChat Pay signs ResponseMessage (timestamp,
//     nonce, body) and sends the Wechatpay-Timestamp, -Nonce, -Signature
//     and -Serial headers. VerifyHeaders checks them all (presence, a ±300 s
//     clock window, the signature type, the key, the signature) against a
//     Verifier, normally a KeyStore mapping platform certificate serials and
//     "PUB_KEY_ID_…" public key ids to keys. Every failure is a
//     *VerificationError that matches ErrVerification with errors.Is.
//
//   - Keys. LoadPrivateKey, LoadPublicKey and LoadCertificate (and their
//     …File forms) read every PEM form a merchant holds; CertificateSerial
//     formats a certificate serial the way WeChat Pay does.
//
//   - Mutual TLS. LoadClientCertificate (apiclient_cert.pem and
//     apiclient_key.pem) and LoadPKCS12 (apiclient_cert.p12, the password
//     defaulting to the merchant id), and their …File forms, return the
//     tls.Certificate of the merchant API certificate for APIv2 calls.
//
//   - Encryption. EncryptOAEP and DecryptOAEP protect sensitive fields
//     (RSA-OAEP with SHA-1); DecryptAEAD opens the AEAD_AES_256_GCM
//     resources of callbacks and of /v3/certificates with the APIv3 key.
//
// The middleware package plugs Signer and VerifyHeaders into an
// http.RoundTripper stack. Nothing in this package logs, and no error it
// returns contains key material.
package signer
