package ngrok_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

func TestClient_APIErrors(t *testing.T) {
	srv := startEmulator(t)
	ctx := t.Context()

	_, err := newClient(t, srv.URL(), "wrong").Users(ngrok.ServiceUsers).Get(ctx, "service_1")
	var apiErr *ngrok.Error
	if !errors.As(err, &apiErr) || !apiErr.IsUnauthorized() || apiErr.ErrorCode != "ERR_NGROK_203" || !strings.HasPrefix(apiErr.OperationID, "op_") {
		t.Fatalf("wrong key: %#v", err)
	}
	if strings.Contains(err.Error(), srv.APIKey()) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("the error quotes a key: %v", err)
	}

	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	_, err = users.Get(ctx, "service_2zzzzzzzzzzzzzzzzzzzzzzzzzz")
	if !errors.As(err, &apiErr) || !apiErr.IsNotFound() || apiErr.ErrorCode != "" || apiErr.OperationID == "" {
		t.Fatalf("missing user: %#v", err)
	}
	_, err = users.Get(ctx, "not-an-id")
	if !errors.As(err, &apiErr) || !apiErr.IsNotFound() || apiErr.ErrorCode != "ERR_NGROK_222" {
		t.Fatalf("invalid id: %#v", err)
	}
	err = listError(t, users.List(ctx, ngrok.ListOptions{Filter: "obj.name =="}))
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.ErrorCode != "ERR_NGROK_230" {
		t.Fatalf("bad filter: %#v", err)
	}
}

// Error codes are strings: newer ones are not numeric.
func TestClient_NonNumericErrorCode(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Ngrok-Operation-Id", "op_header")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error_code":"ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED","status_code":400,"msg":"role not allowed","details":{"operation_id":"op_body"}}`)
	}))
	defer api.Close()
	_, err := newClient(t, api.URL, "k").Users(ngrok.ServiceUsers).Update(t.Context(), "service_1", ngrok.UserUpdate{Name: new("x")})
	var apiErr *ngrok.Error
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != "ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED" || apiErr.OperationID != "op_body" || apiErr.Message != "role not allowed" {
		t.Fatalf("%#v", err)
	}
	want := "PATCH /service_users/service_1: HTTP 400 ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED: role not allowed (operation ID op_body)"
	if err.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", err.Error(), want)
	}
}

// A proxy's 404 page says nothing about the user: it is an error, never
// "deleted", or Terraform would recreate every user behind a wrong URL.
func TestClient_AProxy404IsNotNotFound(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "<html><body><h1>404 Not Found</h1>nginx</body></html>")
	}))
	defer api.Close()
	users := newClient(t, api.URL, "k").Users(ngrok.ServiceUsers)
	_, err := users.Get(t.Context(), "service_1")
	if err == nil || ngrok.IsNotFound(err) || !strings.Contains(err.Error(), "not an ngrok error") {
		t.Fatalf("err = %v; want an error that is not not-found", err)
	}
	_, err = users.NewBulkReader(ngrok.RefreshAuto).Get(t.Context(), "service_1")
	if err == nil || ngrok.IsNotFound(err) {
		t.Fatalf("bulk read: err = %v; want an error that is not not-found", err)
	}
}
