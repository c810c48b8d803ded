package ngrok_test

import (
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

func TestClient_NewRefusesBadConfig(t *testing.T) {
	if _, err := ngrok.New(ngrok.Config{APIKey: " "}); err == nil {
		t.Error("accepted a blank key")
	}
	const key = "2abcDEFghiJKLmnoPQRstu_5vwxYZ0123456789aBcDeF"
	if _, err := ngrok.New(ngrok.Config{APIKey: key + "\n"}); err == nil || !strings.Contains(err.Error(), "line break at the end") {
		t.Errorf("a key with a final line break: err = %v, want it refused", err)
	} else if strings.Contains(err.Error(), key) {
		t.Errorf("the error repeats the key: %v", err)
	}
	if _, err := ngrok.New(ngrok.Config{APIKey: "k", BaseURL: "http://example.com"}); err == nil {
		t.Error("accepted plain http to a remote host")
	}
}
