package catalog

// Endpoint is one documented endpoint × HTTP method.
type Endpoint struct {
	// Method is the HTTP method, upper case: GET, POST, PUT, PATCH or DELETE.
	Method string
	// Path is the URI template relative to the API root, without a leading
	// "/", such as "v3/pay/transactions/id/{transaction_id}". A trailing "/"
	// is part of the real URL. APIv2 paths start with "v2/", which is a
	// routing marker, not part of the URL.
	Path string
	// API is "v3" or "v2".
	API string
	// Title is the official name of the API, in Chinese.
	Title string
	// PageTitle is the group heading of a page documenting several methods
	// of one path; empty otherwise.
	PageTitle string
	// Placeholders are the {name}s of Path, in order.
	Placeholders []string
	// Request is the request-parameter table in document order. Top-level
	// rows are path placeholders or request options ("json", "query",
	// "headers", "xml", "body", "base_uri", …) whose children are the
	// fields.
	Request []Field
	// Response is the response table in document order; empty when the
	// answer has no fields.
	Response []Field
	// Errors is the XML error table of the two APIv2 bill downloads, whose
	// success body is a file; empty elsewhere.
	Errors []Field
	// ResponseKind is "fields", "no_content" (HTTP 204), "file" (a file
	// stream, not JSON), "redirect" (a browser redirect URL, no server call)
	// or "undocumented".
	ResponseKind string
	// NoContent reports that the answer is empty (HTTP 204).
	NoContent bool
	// Docs are the official documentation URLs.
	Docs []string
	// Notices are the page's status boxes: deprecated, privated, redesigned…
	Notices []Notice
	// Anomalies are codes for irregularities in the documentation, such as
	// "placeholder_without_request_field:openid"; usually empty.
	Anomalies []string
	// Source is the markdown page of the documentation site it came from,
	// such as "openapi/v3/pay/transactions/native.md".
	Source string
}

// Field is one row of a request, response or resource table.
type Field struct {
	// Name is the field name as documented; for a header row, the header
	// name.
	Name string
	// Type is "string", "integer", "number", "boolean", "object",
	// "object[]", "string[]", "integer[]", "number[]", "float" or "true"
	// (the literal: the option must be true).
	Type string
	// Required reports the documented required flag.
	Required bool
	// Depth is the nesting level, 0 at the top.
	Depth int
	// Parent is the name of the nearest preceding shallower row; empty at
	// depth 0. The same name may appear twice under one parent (alternative
	// shapes).
	Parent string
	// Encrypted is "by-rsa-pubkey", "by-aes-gcm" or "by-aes-ecb" for a
	// sensitive field or ciphertext; empty otherwise.
	Encrypted string
	// EncryptedWith names the key: "wechatpay-public-key" (a request field
	// encrypted with the WeChat Pay public key or platform certificate;
	// send it as wechatpay.Sensitive), "merchant-public-key" (a response
	// field to decrypt with the merchant private key),
	// "paybank-rsa-public-key", "apiv3-key" or "apiv2-key-md5".
	EncryptedWith string
	// Encoded is "by-json_encode" (the string holds JSON, whose structure
	// follows as deeper rows) or "by-urlencode"; empty otherwise.
	Encoded string
	// Signed is "by-rsa-privatekey" for a field the merchant signs; empty
	// otherwise.
	Signed string
	// Value is a documented literal (a base_uri's URL, a fixed value);
	// empty otherwise.
	Value string
}

// Notice is a status box of a documentation page.
type Notice struct {
	// Kind is "deprecated", "privated", "redesigned", "discarded",
	// "need-accessment", "need-tbt", "important", "specific", "parsed" or
	// "confusing".
	Kind string
	// Date is the date written in the box, as written ("2021.11.10").
	Date string
	// See lists the successor pages it links, as catalog paths, possibly
	// with "#method".
	See []string
}

// Deprecated reports whether a notice says the endpoint is offline,
// closed to new merchants, discarded or replaced by a new version.
func (e Endpoint) Deprecated() bool {
	for _, n := range e.Notices {
		switch n.Kind {
		case "deprecated", "privated", "discarded", "redesigned":
			return true
		}
	}
	return false
}

// Webhook is one documented callback (notification) page.
type Webhook struct {
	// Event is the event type, such as "TRANSACTION.SUCCESS"; empty for the
	// six APIv2 pages named by slug (see Page).
	Event string
	// Page is "v3/TRANSACTION.SUCCESS", "v2/refund-processed", …
	Page string
	// API is "v3" or "v2".
	API string
	// Title is the official name of the callback.
	Title string
	// Format is "JSON" or "XML".
	Format string
	// EncryptedField is the envelope field carrying the ciphertext
	// ("ciphertext", "req_info", "event_ciphertext"); empty for plaintext
	// notifications.
	EncryptedField string
	// Encryption is the scheme of EncryptedField ("by-aes-gcm", "by-aes-ecb").
	Encryption string
	// Resource is the decrypted payload's fields (for plaintext
	// notifications, the body's), rooted at depth 0.
	Resource []Field
	// Response is what the merchant must answer.
	Response []Field
	// Variants are the anchor ids of documented variants, such as "BASIC"
	// and "PARTNER".
	Variants []string
	// Docs are the official documentation URLs.
	Docs []string
	// Notices are the page's status boxes.
	Notices []Notice
	// Anomalies are codes for irregularities in the documentation.
	Anomalies []string
	// Source is the markdown page it came from.
	Source string
}

// Source says where the embedded data came from.
type Source struct {
	Repository string // "wechatpay-im/website"
	Commit     string // the source commit
	CommitDate string // its date, RFC 3339
	Generator  string // the extractor that wrote the source JSON
}
