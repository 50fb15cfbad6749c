package wechatpay

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"strings"

	"github.com/wechatpay-chain/wechatpay/middleware"
)

// optUpload is the reserved option key of a media upload.
const optUpload = "upload"

// Upload is the value of the reserved option "upload": a media upload such
// as POST v3/merchant-service/images/upload.
//
// The request is multipart/form-data with two parts: first "meta"
// (Content-Type application/json) holding the Meta JSON, then the file part
// holding Content. The request signature covers the meta JSON exactly as it
// is sent, as WeChat Pay requires, not the multipart bytes.
//
//	resp, err := client.Chain("v3/merchant-service/images/upload").Post(ctx, wechatpay.Options{
//		"upload": wechatpay.Upload{Filename: "logo.png", Content: f},
//	})
//	mediaID := resp.Get("media_id").String()
//
// "upload" cannot be combined with "json" or "body".
type Upload struct {
	// Filename is the file's name, with its suffix ("logo.png"): WeChat Pay
	// derives the media type from it. Required.
	Filename string
	// Content is the file. It is read in full before anything is sent (so
	// a retry resends the same bytes), and closed when it is an io.Closer.
	// WeChat Pay accepts at most a few MB (images 2 MB, videos 5 MB).
	Content io.Reader
	// Meta, when nil, is {"filename": Filename, "sha256": <hex SHA-256 of
	// Content>}, the meta of images, videos and marketing media. A non-nil
	// Meta is sent as given, for the endpoints that name the digest
	// otherwise ({"file_name", "file_digest"}, {"filename", "digest"}, …).
	Meta M
	// Field is the name of the file part; "file" when empty.
	Field string
}

// encodedUpload is an Upload turned into the bytes to send.
type encodedUpload struct {
	body        []byte // the whole multipart/form-data body
	contentType string // multipart/form-data; boundary=…
	meta        []byte // the meta JSON exactly as in the body: what is signed
}

// encodeUpload reads and encodes the "upload" option. It reports false
// when opts has none.
func encodeUpload(opts Options) (*encodedUpload, bool, error) {
	v, ok := opts[optUpload]
	if !ok {
		return nil, false, nil
	}
	for _, other := range []string{optJSON, optBody} {
		if _, clash := opts[other]; clash {
			return nil, true, fmt.Errorf("%w: options \"upload\" and %q are exclusive (the upload's meta JSON is the signed body)", ErrTemplate, other)
		}
	}
	var u Upload
	switch x := v.(type) {
	case Upload:
		u = x
	case *Upload:
		if x == nil {
			return nil, true, fmt.Errorf("%w: option \"upload\" is a nil *Upload", ErrTemplate)
		}
		u = *x
	default:
		return nil, true, fmt.Errorf("%w: option \"upload\": want wechatpay.Upload, got %T", ErrTemplate, v)
	}
	enc, err := u.encode()
	return enc, true, err
}

// encode reads the content and builds the multipart body.
func (u Upload) encode() (*encodedUpload, error) {
	field := u.Field
	if field == "" {
		field = "file"
	}
	switch {
	case u.Filename == "":
		return nil, fmt.Errorf("%w: option \"upload\": Filename is required (with its suffix, e.g. \"logo.png\")", ErrTemplate)
	case u.Content == nil:
		return nil, fmt.Errorf("%w: option \"upload\": Content is nil", ErrTemplate)
	case field == "meta":
		return nil, fmt.Errorf("%w: option \"upload\": Field may not be \"meta\", the name of the meta part", ErrTemplate)
	case strings.ContainsAny(u.Filename+field, "\"\r\n\\"):
		return nil, fmt.Errorf("%w: option \"upload\": Filename and Field may not contain quotes, backslashes or line breaks", ErrTemplate)
	}
	content, err := io.ReadAll(u.Content)
	if c, ok := u.Content.(io.Closer); ok {
		c.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("wechatpay: reading option \"upload\" Content: %w", err)
	}
	metaValue := u.Meta
	if metaValue == nil {
		sum := sha256.Sum256(content)
		metaValue = M{"filename": u.Filename, "sha256": hex.EncodeToString(sum[:])}
	}
	meta, err := marshalJSON(metaValue)
	if err != nil {
		return nil, fmt.Errorf("option \"upload\" Meta: %w", err)
	}

	// The body is built here with mime/multipart rather than by resty:
	// the signature must cover the meta bytes exactly as they appear in the
	// body, and every retry must resend the same body, so both are fixed
	// before sending and the send path needs no multipart knowledge.
	var buf bytes.Buffer
	buf.Grow(len(content) + len(meta) + 512)
	mw := multipart.NewWriter(&buf)
	metaHeader := textproto.MIMEHeader{}
	metaHeader.Set("Content-Disposition", `form-data; name="meta"`)
	metaHeader.Set("Content-Type", "application/json")
	fileHeader := textproto.MIMEHeader{}
	fileHeader.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, field, u.Filename))
	fileHeader.Set("Content-Type", contentTypeByName(u.Filename))
	for _, part := range []struct {
		header textproto.MIMEHeader
		data   []byte
	}{{metaHeader, meta}, {fileHeader, content}} {
		w, err := mw.CreatePart(part.header)
		if err != nil {
			return nil, fmt.Errorf("wechatpay: encoding option \"upload\": %w", err)
		}
		w.Write(part.data) // a bytes.Buffer does not fail
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("wechatpay: encoding option \"upload\": %w", err)
	}
	return &encodedUpload{body: buf.Bytes(), contentType: mw.FormDataContentType(), meta: meta}, nil
}

// contentTypeByName guesses the file part's Content-Type from the suffixes
// WeChat Pay accepts; anything else is application/octet-stream.
func contentTypeByName(name string) string {
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 {
		return "application/octet-stream"
	}
	switch strings.ToLower(name[dot+1:]) {
	case "jpg", "jpeg":
		return "image/jpeg"
	case "png":
		return "image/png"
	case "gif":
		return "image/gif"
	case "bmp":
		return "image/bmp"
	case "pdf":
		return "application/pdf"
	case "mp4":
		return "video/mp4"
	case "avi":
		return "video/x-msvideo"
	}
	return "application/octet-stream"
}

// requestContext returns ctx with the request-scoped switches the prepared
// request needs: the signed meta JSON of an upload.
func (req *preparedRequest) requestContext(ctx context.Context) context.Context {
	if req.signedBody != nil {
		return middleware.WithSignedBody(ctx, req.signedBody)
	}
	return ctx
}
