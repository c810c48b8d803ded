package ngrok

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// reply is a successful call's answer, for decoding.
type reply struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
}

// malformed reports that the reply's body is not what the API documents.
func (r reply) malformed(format string, args ...any) *Error {
	return malformed(r.method, r.path, r.status, r.header, format, args...)
}

// decodeJSON decodes one JSON value strictly enough to notice a body that is
// cut short or followed by junk, and leniently about unknown fields.
func decodeJSON(data []byte, out any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(out); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

func describeDecodeError(err error, body []byte) string {
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Sprintf("field %q is a JSON %s, not a %s", typeErr.Field, typeErr.Value, typeErr.Type)
	case len(bytes.TrimSpace(body)) == 0:
		return "the body is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON body ends early (a truncated reply)"
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return "the body is not JSON: " + bodySnippet(nil, body)
	}
	return err.Error()
}
