package catalog_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wechatpay-chain/wechatpay/catalog"
)

// The source JSON, decoded by the test on its own (not by the generator).
type srcField struct {
	Name          string  `json:"name"`
	Type          string  `json:"type"`
	Required      bool    `json:"required"`
	Depth         int     `json:"depth"`
	Parent        *string `json:"parent"`
	Encrypted     string  `json:"encrypted"`
	EncryptedWith string  `json:"encrypted_with"`
	Encoded       string  `json:"encoded"`
	Signed        string  `json:"signed"`
	Value         string  `json:"value"`
}

type srcNotice struct {
	Kind string   `json:"kind"`
	Date string   `json:"date"`
	See  []string `json:"see"`
}

type srcEndpoint struct {
	Path         string      `json:"path"`
	Method       string      `json:"method"`
	API          string      `json:"api"`
	Title        string      `json:"title"`
	PageTitle    string      `json:"page_title"`
	Placeholders []string    `json:"placeholders"`
	Request      []srcField  `json:"request"`
	Response     []srcField  `json:"response"`
	Errors       []srcField  `json:"errors"`
	NoContent    bool        `json:"no_content"`
	ResponseKind string      `json:"response_kind"`
	Docs         []string    `json:"docs"`
	Notices      []srcNotice `json:"notices"`
	Anomalies    []string    `json:"anomalies"`
	Source       string      `json:"source"`
}

type srcWebhook struct {
	Event          *string     `json:"event"`
	Page           string      `json:"page"`
	API            string      `json:"api"`
	Title          string      `json:"title"`
	Format         string      `json:"format"`
	EncryptedField *string     `json:"encrypted_field"`
	Encryption     *string     `json:"encryption"`
	Resource       []srcField  `json:"resource"`
	Response       []srcField  `json:"response"`
	Variants       []string    `json:"variants"`
	Docs           []string    `json:"docs"`
	Notices        []srcNotice `json:"notices"`
	Anomalies      []string    `json:"anomalies"`
	Source         string      `json:"source"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func fields(src []srcField) []catalog.Field {
	var out []catalog.Field
	for _, f := range src {
		out = append(out, catalog.Field{
			Name: f.Name, Type: f.Type, Required: f.Required, Depth: f.Depth, Parent: deref(f.Parent),
			Encrypted: f.Encrypted, EncryptedWith: f.EncryptedWith, Encoded: f.Encoded, Signed: f.Signed, Value: f.Value,
		})
	}
	return out
}

func notices(src []srcNotice) []catalog.Notice {
	var out []catalog.Notice
	for _, n := range src {
		out = append(out, catalog.Notice{Kind: n.Kind, Date: n.Date, See: n.See})
	}
	return out
}

func readShared(t *testing.T, name string, v any) {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "catalog", name)
	data, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing and CI=true", p)
		}
		t.Skipf("skipped: %s is not here (the project's ../shared directory); with CI=true this fails", p)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

// emptyIsNil makes nil and empty slices compare equal.
var emptyIsNil = cmpopts.EquateEmpty()

// TestEveryEndpointFound looks up every endpoint of
// ../shared/catalog/endpoints.json and compares all its facts.
func TestEveryEndpointFound(t *testing.T) {
	t.Parallel()
	var src struct {
		Commit    string        `json:"commit"`
		Count     int           `json:"count"`
		Endpoints []srcEndpoint `json:"endpoints"`
	}
	readShared(t, "endpoints.json", &src)
	if got := catalog.Origin().Commit; got != src.Commit {
		t.Errorf("Origin().Commit = %s, source %s", got, src.Commit)
	}
	all := catalog.All()
	if len(all) != src.Count || len(src.Endpoints) != src.Count {
		t.Fatalf("All() has %d endpoints, the source %d (count %d)", len(all), len(src.Endpoints), src.Count)
	}
	for i, e := range src.Endpoints {
		want := catalog.Endpoint{
			Method: e.Method, Path: e.Path, API: e.API, Title: e.Title, PageTitle: e.PageTitle,
			Placeholders: e.Placeholders, Request: fields(e.Request), Response: fields(e.Response), Errors: fields(e.Errors),
			ResponseKind: e.ResponseKind, NoContent: e.NoContent, Docs: e.Docs, Notices: notices(e.Notices),
			Anomalies: e.Anomalies, Source: e.Source,
		}
		got, ok := catalog.Lookup(e.Method, e.Path)
		if !ok {
			t.Errorf("Lookup(%s, %s): not found", e.Method, e.Path)
			continue
		}
		if !cmp.Equal(want, got, emptyIsNil) {
			t.Errorf("Lookup(%s, %s) (-source +catalog):\n%s", e.Method, e.Path, cmp.Diff(want, got, emptyIsNil))
		}
		if !cmp.Equal(want, all[i], emptyIsNil) {
			t.Errorf("All()[%d] (-source +catalog):\n%s", i, cmp.Diff(want, all[i], emptyIsNil))
		}
	}
}

// TestEveryWebhookFound looks up every callback of webhooks.json by page
// and event type.
func TestEveryWebhookFound(t *testing.T) {
	t.Parallel()
	var src struct {
		Count    int          `json:"count"`
		Webhooks []srcWebhook `json:"webhooks"`
	}
	readShared(t, "webhooks.json", &src)
	if got := len(catalog.Webhooks()); got != src.Count {
		t.Fatalf("Webhooks() has %d, the source %d", got, src.Count)
	}
	byEvent := map[string]string{} // event -> the last page in source order
	for _, h := range src.Webhooks {
		if h.Event != nil {
			byEvent[*h.Event] = h.Page
		}
	}
	for _, h := range src.Webhooks {
		want := catalog.Webhook{
			Event: deref(h.Event), Page: h.Page, API: h.API, Title: h.Title, Format: h.Format,
			EncryptedField: deref(h.EncryptedField), Encryption: deref(h.Encryption),
			Resource: fields(h.Resource), Response: fields(h.Response), Variants: h.Variants,
			Docs: h.Docs, Notices: notices(h.Notices), Anomalies: h.Anomalies, Source: h.Source,
		}
		got, ok := catalog.LookupWebhook(h.Page)
		if !ok {
			t.Errorf("LookupWebhook(%s): not found", h.Page)
			continue
		}
		if diff := cmp.Diff(want, got, emptyIsNil); diff != "" {
			t.Errorf("LookupWebhook(%s) (-source +catalog):\n%s", h.Page, diff)
		}
		if h.Event == nil {
			continue
		}
		byType, ok := catalog.LookupWebhook(*h.Event)
		if !ok || byType.Page != byEvent[*h.Event] {
			t.Errorf("LookupWebhook(%s) = page %q, %v; want %q", *h.Event, byType.Page, ok, byEvent[*h.Event])
		}
		res, ok := catalog.ResourceFields(*h.Event)
		if byEvent[*h.Event] == h.Page && (!ok || !cmp.Equal(res, want.Resource, emptyIsNil)) {
			t.Errorf("ResourceFields(%s) differs from the source's resource", *h.Event)
		}
	}
}
