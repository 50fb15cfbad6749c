package catalog

import "slices"

// LookupWebhook finds a callback by event type ("TRANSACTION.SUCCESS") or
// by page ("v3/TRANSACTION.SUCCESS", "v2/refund-processed"). Where the
// APIv2 and APIv3 documentation both describe an event, the event type
// finds the later page in catalog order (APIv3); use the page for the
// other.
func LookupWebhook(event string) (Webhook, bool) {
	d := db()
	i, ok := d.events[event]
	if !ok {
		return Webhook{}, false
	}
	return d.webhooks[i], true
}

// Webhooks returns every callback, sorted by API and page.
func Webhooks() []Webhook { return slices.Clone(db().webhooks) }

// ResourceFields returns the fields of the decrypted resource of the
// callback with this event type (or page), and whether it is catalogued.
func ResourceFields(event string) ([]Field, bool) {
	h, ok := LookupWebhook(event)
	return h.Resource, ok
}
