package ngrok

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// Error is a failed API call: either the API answered with an error (status
// >= 400 and, usually, an ngrok error body), or its reply could not be
// understood. It carries everything ngrok support asks for.
type Error struct {
	// Method and Path name the request, e.g. "PATCH /service_users/service_…".
	Method string
	Path   string
	// StatusCode is the HTTP status of the reply (0 if there was none).
	StatusCode int
	// ErrorCode is ngrok's code, e.g. "ERR_NGROK_218" or
	// "ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED". It is a string on purpose:
	// newer codes are not numeric. Some 404 replies have none.
	ErrorCode string
	// Message is the API's msg, or a description of what was wrong with the reply.
	Message string
	// OperationID identifies the request to ngrok support.
	OperationID string
	// Malformed is true when the API's reply, not the request, was at fault:
	// a body that is not the JSON the API documents.
	Malformed bool
	// fromNgrok is true when the reply is ngrok's own error (its JSON body
	// or its operation ID header), not a proxy's or a gateway's page.
	fromNgrok bool
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
		if e.ErrorCode != "" {
			fmt.Fprintf(&b, " %s", e.ErrorCode)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.OperationID != "" {
		fmt.Fprintf(&b, " (operation ID %s)", e.OperationID)
	}
	return b.String()
}

// IsNotFound reports whether the API said the object does not exist. An ID
// that is not valid (ERR_NGROK_222) is not found either. Only ngrok's own 404
// counts: a proxy's "404 Not Found" page (a wrong api_base_url path, say)
// says nothing about the user, and taking it for "deleted" would make
// Terraform recreate every user.
func (e *Error) IsNotFound() bool {
	return !e.Malformed && e.fromNgrok && e.StatusCode == http.StatusNotFound
}

// IsUnauthorized reports whether the API key was refused.
func (e *Error) IsUnauthorized() bool {
	return !e.Malformed && (e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden)
}

// IsRateLimited reports whether the request was refused for going too fast.
func (e *Error) IsRateLimited() bool {
	return !e.Malformed && e.StatusCode == http.StatusTooManyRequests
}

// IsNotFound reports whether err is an API error saying the object does not exist.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.IsNotFound()
}

// IsUnauthorized reports whether err is an API error refusing the API key.
func IsUnauthorized(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.IsUnauthorized()
}

// UnservedCollectionError is a 404 from an API that does not serve a
// collection at all: the base URL is wrong (a path ngrok does not have, say).
// For a create or a list, the collection's own 404 says so; for one object,
// a 404 is ambiguous until a list of the collection answers 404 too, and then
// it says nothing about the object. It is deliberately not a not-found error,
// and it does not unwrap to one.
type UnservedCollectionError struct {
	NotFound error // the 404 for the object; nil for a create or a list
	List     error // the 404 for the collection
	BaseURL  string
	// Source says where the base URL came from (e.g. "api_base_url"); "" if unknown.
	Source     string
	Collection Collection
}

func (e *UnservedCollectionError) Error() string {
	if e.NotFound == nil {
		return fmt.Sprintf("%s; the URL called was %s, and the API at %s%s does not serve /%s",
			e.List, calledURL(e.List, e.BaseURL), e.BaseURL, fromSource(e.Source), e.Collection)
	}
	return fmt.Sprintf("%s; the URL called was %s, but the API at %s%s does not serve /%s at all (%s), so that 404 says nothing about the %s",
		e.NotFound, calledURL(e.NotFound, e.BaseURL), e.BaseURL, fromSource(e.Source), e.Collection, e.List, e.Collection.noun())
}

// calledURL is the full URL (without its query) of the request that got
// err, an *Error, whose Path is relative to base.
func calledURL(err error, base string) string {
	var e *Error
	if !errors.As(err, &e) {
		return base
	}
	return base + e.Path
}

// errorBody is ngrok's documented error reply.
type errorBody struct {
	ErrorCode  string `json:"error_code"`
	StatusCode int    `json:"status_code"`
	Msg        string `json:"msg"`
	Details    struct {
		OperationID string `json:"operation_id"`
	} `json:"details"`
}

// apiError builds the Error for a reply with status >= 400. A body that is not
// ngrok's JSON (an HTML page from a proxy, say) still yields a useful message.
func apiError(method, path string, status int, header http.Header, body []byte) *Error {
	e := &Error{
		Method:      method,
		Path:        path,
		StatusCode:  status,
		OperationID: header.Get("Ngrok-Operation-Id"),
	}
	e.fromNgrok = e.OperationID != ""
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err == nil && (eb.Msg != "" || eb.ErrorCode != "") && eb.StatusCode == status {
		e.fromNgrok = true
		e.ErrorCode = eb.ErrorCode
		e.Message = strings.TrimSpace(eb.Msg)
		if eb.Details.OperationID != "" {
			e.OperationID = eb.Details.OperationID
		}
		return e
	}
	e.Message = http.StatusText(status)
	if e.Message == "" {
		e.Message = "unexpected status"
	}
	if snippet := bodySnippet(header, body); snippet != "" {
		e.Message += "; the reply was not an ngrok error: " + snippet
	}
	return e
}

// malformed builds the Error for a reply whose status promised success but
// whose body is not what the API documents.
func malformed(method, path string, status int, header http.Header, format string, args ...any) *Error {
	return &Error{
		Method:      method,
		Path:        path,
		StatusCode:  status,
		OperationID: header.Get("Ngrok-Operation-Id"),
		Message:     "the API's reply could not be understood: " + fmt.Sprintf(format, args...),
		Malformed:   true,
	}
}

// bodySnippet describes a non-JSON body briefly, so a diagnostic shows what
// came back (an HTML page from a proxy, usually) without pasting all of it.
func bodySnippet(header http.Header, body []byte) string {
	const limit = 120
	s := strings.Join(strings.Fields(string(body)), " ")
	if s == "" {
		return ""
	}
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit]) + "…"
	}
	if ct := header.Get("Content-Type"); ct != "" {
		return fmt.Sprintf("%s %q", ct, s)
	}
	return fmt.Sprintf("%q", s)
}

// TransportError is a request that got no usable reply: the connection was
// refused, dropped, or timed out, or the operation ended (an interrupt, its
// timeout) before the reply came or before the request was even sent.
type TransportError struct {
	Method, Path string
	Err          error
	// Sent is false when the request certainly never reached the API, or
	// was turned away unprocessed (a refused connection, a 429, a wait in
	// the queue), so the API cannot have acted on it.
	Sent bool
	// Ended is the operation's context error when the request ended because
	// the operation did; Waiting says what a request never sent was waiting for.
	Ended   error
	Waiting string
}

func (e *TransportError) Error() string {
	interrupted := errors.Is(e.Ended, context.Canceled)
	switch {
	case e.Ended == nil:
		return fmt.Sprintf("%s %s: no reply from the API: %v", e.Method, e.Path, e.Err)
	case e.Sent && interrupted:
		return fmt.Sprintf("%s %s: interrupted after it was sent, before its reply%s", e.Method, e.Path, e.mayHaveActed())
	case e.Sent:
		return fmt.Sprintf("%s %s: the operation ran out of time after the request was sent, before its reply%s", e.Method, e.Path, e.mayHaveActed())
	case errors.Is(e.Err, errRateLimitWait):
		return fmt.Sprintf("%s %s: %v", e.Method, e.Path, errRateLimitWait)
	case interrupted:
		return fmt.Sprintf("%s %s: interrupted before it was sent, while %s", e.Method, e.Path, e.waiting())
	}
	return fmt.Sprintf("%s %s: not sent: the operation ran out of time %s", e.Method, e.Path, e.waiting())
}

// mayHaveActed warns that a write whose reply never came may have happened
// all the same; a read changes nothing.
func (e *TransportError) mayHaveActed() string {
	if e.Method == http.MethodGet {
		return ""
	}
	return ": the API may have acted on it"
}

func (e *TransportError) waiting() string {
	if e.Waiting == "" {
		return "waiting to send it"
	}
	return e.Waiting
}

// Unwrap gives the transport's error and, for a request the operation's end
// cut short, the operation's context error.
func (e *TransportError) Unwrap() []error {
	if e.Ended != nil {
		return []error{e.Err, e.Ended}
	}
	return []error{e.Err}
}

// Interrupted reports whether the request ended because the operation did,
// rather than because the API or the network failed it.
func (e *TransportError) Interrupted() bool { return e.Ended != nil }

// isDialError reports whether err happened while connecting, before any byte
// of the request was sent.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
