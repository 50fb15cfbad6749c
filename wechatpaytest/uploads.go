package wechatpaytest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
)

// The built-in media upload routes, each checking its endpoint's meta.
const (
	RouteMarketingImageUpload   = "v3/marketing/favor/media/image-upload"
	RouteProductCouponImage     = "v3/marketing/partner/product-coupon/media/upload-image"
	RouteMerchantMediaUpload    = "v3/merchant/media/upload"
	RouteMerchantVideoUpload    = "v3/merchant/media/video_upload"
	RouteGlobalStorageUpload    = "v3/global/merchant-storage/file/upload"
	RouteSubmissionFileUpload   = "v3/mch-manage/submission-files/sub-mchid/{sub_mchid}/upload"
	RouteDueDiligenceFileUpload = "v3/mch-operation-manage/enhanced-due-diligence/{due_diligence_id}/upload"
)

// uploadRule is how one upload endpoint names its parts and meta fields.
type uploadRule struct {
	path       string
	fileField  string // the file part's name
	nameField  string // the meta field holding the file name
	digestName string // the meta field holding the hex SHA-256 of the file
}

// uploadRules are the documented upload endpoints (protocol.md "Bills and
// uploads"; field names from the endpoint catalog).
var uploadRules = []uploadRule{
	{RouteImageUpload, "file", "filename", "sha256"},
	{RouteMarketingImageUpload, "file", "filename", "sha256"},
	{RouteProductCouponImage, "file", "filename", "sha256"},
	{RouteMerchantMediaUpload, "file", "filename", "sha256"},
	{RouteMerchantVideoUpload, "file", "filename", "sha256"},
	{RouteGlobalStorageUpload, "file", "filename", "digest"},
	{RouteSubmissionFileUpload, "submission_file", "file_name", "file_digest"},
	{RouteDueDiligenceFileUpload, "due_diligence_file", "file_name", "file_digest"},
}

// uploadRoutes binds every upload rule to its checker.
func (s *Server) uploadRoutes() []route {
	routes := make([]route, 0, len(uploadRules))
	for _, u := range uploadRules {
		routes = append(routes, route{method: http.MethodPost, pattern: parsePattern(u.path), handler: u.check})
	}
	return routes
}

// check verifies a media upload: the meta part (JSON naming the file and
// its SHA-256) comes first, then the file part whose digest must match.
// The answer carries a media_id derived from the digest.
func (u uploadRule) check(r *Request) Reply {
	names, err := partNames(r)
	if err != nil {
		return *paramError("meta", "the body must be multipart/form-data: "+err.Error(), nil)
	}
	if len(names) == 0 || names[0] != "meta" {
		return *paramError("meta", "the first multipart part must be \"meta\"", strings.Join(names, ","))
	}
	meta, _ := r.Part("meta")
	file, ok := r.Part(u.fileField)
	if !ok {
		return *paramError(u.fileField, "the multipart/form-data part is required", nil)
	}
	b, bad := decodeBody(&Request{Body: meta})
	if bad != nil {
		return *paramError("meta", "must be a JSON object", nil)
	}
	if _, bad := b.str(u.nameField); bad != nil {
		return *bad
	}
	want, bad := b.str(u.digestName)
	if bad != nil {
		return *bad
	}
	got := sha256Hex(file)
	if !strings.EqualFold(got, want) {
		return *paramError(u.digestName, "does not match the SHA-256 of the "+u.fileField+" part ("+got+")", want)
	}
	return JSON(http.StatusOK, M{"media_id": "MEDIA_" + got[:24]})
}

// partNames lists the form-data part names of a multipart body, in order.
func partNames(r *Request) ([]string, error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		return nil, errors.New("Content-Type is not multipart/form-data")
	}
	mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
	var names []string
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return names, nil
		}
		if err != nil {
			return nil, err
		}
		names = append(names, p.FormName())
	}
}

// sha256Hex is the lower-case hex SHA-256 of b.
func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
