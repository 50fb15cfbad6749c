package wechatpay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
)

// NotificationHandler returns an http.Handler for the merchant's notify
// URL. Each callback is read (at most MaxNotificationBytes), verified and
// decrypted by [Client.ParseNotificationBytes], then handed to fn with the
// request's context. The answer tells WeChat Pay whether to retry:
//
//   - 204 No Content: verified, decrypted, and fn returned nil;
//   - 401: verification failed (fn is not called);
//   - 400: the envelope or its decryption failed (fn is not called);
//   - 500: fn returned an error or panicked (the panic is recovered);
//   - 413: the body is over MaxNotificationBytes; 405: not a POST.
//
// Failures carry {"code":"FAIL","message":…} (never a key, plaintext or
// fn's own error text) and are logged through Config.Logger: at warn level
// for WeChat Pay's WECHATPAY/SIGNTEST/ probes, at error level otherwise.
// WeChat Pay may deliver a notification more than once: fn must be
// idempotent on [Notification.ID] or the business id. Unknown event types
// should be acknowledged (return nil). fn must not be nil.
func (c *Client) NotificationHandler(fn func(ctx context.Context, n *Notification) error) http.Handler {
	if fn == nil {
		panic("wechatpay: NotificationHandler: nil function")
	}
	return &notificationHandler{client: c, fn: fn}
}

// notificationHandler is what NotificationHandler returns.
type notificationHandler struct {
	client *Client
	fn     func(context.Context, *Notification) error
}

// ServeHTTP implements http.Handler.
func (h *notificationHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.fail(ctx, w, http.StatusMethodNotAllowed, slog.LevelError, "callbacks are POST requests, got "+strconv.Quote(r.Method), nil, nil)
		return
	}
	body, err := readNotificationBody(r)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, ErrNotificationTooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		h.fail(ctx, w, status, slog.LevelError, plainText(err), err, nil)
		return
	}
	n, err := h.client.ParseNotificationBytes(ctx, r.Header, body)
	switch {
	case errors.Is(err, ErrVerification):
		level := slog.LevelError
		if errors.Is(err, ErrSignatureProbe) {
			level = slog.LevelWarn
		}
		h.fail(ctx, w, http.StatusUnauthorized, level, plainText(err), err, nil)
		return
	case errors.Is(err, ErrDecryption):
		h.fail(ctx, w, http.StatusBadRequest, slog.LevelError, plainText(err), err, nil)
		return
	case err != nil:
		h.fail(ctx, w, http.StatusInternalServerError, slog.LevelError, plainText(err), err, nil)
		return
	}
	if err := h.call(ctx, n); err != nil {
		h.fail(ctx, w, http.StatusInternalServerError, slog.LevelError,
			fmt.Sprintf("the merchant's handler failed for %s callback %s", n.EventType, n.ID), err, n)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// call runs fn, turning a panic into an error.
func (h *notificationHandler) call(ctx context.Context, n *Notification) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v\n%s", ErrPanic, r, debug.Stack())
		}
	}()
	return h.fn(ctx, n)
}

// fail answers status with {"code":"FAIL","message":message} and logs the
// failure at level.
func (h *notificationHandler) fail(ctx context.Context, w http.ResponseWriter, status int, level slog.Level, message string, err error, n *Notification) {
	if logger := h.client.logger; logger != nil {
		attrs := []slog.Attr{slog.Int("status", status)}
		if err != nil {
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		if n != nil {
			attrs = append(attrs, slog.String("id", n.ID), slog.String("event_type", n.EventType))
		}
		msg := "wechatpay: callback rejected"
		if level == slog.LevelWarn {
			msg = "wechatpay: callback with a WECHATPAY/SIGNTEST/ probe signature rejected, as WeChat Pay expects"
		}
		logger.LogAttrs(ctx, level, msg, attrs...)
	}
	body, _ := json.Marshal(struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{"FAIL", message})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
