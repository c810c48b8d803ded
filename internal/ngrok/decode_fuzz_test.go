package ngrok

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeReply feeds arbitrary bytes to every decoder of API replies: none
// may panic, a decoded user or credential always has an ID, and an error's
// text is valid UTF-8 of bounded length whatever the body held.
func FuzzDecodeReply(f *testing.F) {
	f.Add([]byte(`{"id":"service_1","uri":"u","name":"n","active":true,"created_at":"2025-09-04T10:11:43Z"}`), 200)
	f.Add([]byte(`{"service_users":[{"id":"service_1"}],"next_page_uri":null}`), 200)
	f.Add([]byte(`{"service_users":[{"id":"service_1"}],"next_page_uri":"https://api.ngrok.com/service_users?before_id=service_1"}`), 200)
	f.Add([]byte(`{"error_code":"ERR_NGROK_218","status_code":400,"msg":"missing version","details":{"operation_id":"op_1"}}`), 400)
	f.Add([]byte(`<html><body>502 Bad Gateway</body></html>`), 502)
	f.Add([]byte(`{"id":"ak_1","uri":"u","description":"d","metadata":"m","owner_id":"usr_1","token":"tok","created_at":"2025-09-04T10:11:43Z"}`), 201)
	f.Add([]byte(`{"id":"sshcr_1","acl":["bind:x.example.com"],"public_key":"ssh-ed25519 AAAA","token":null}`), 200)
	f.Add([]byte(`{"keys":[{"id":"ak_1","token":null}],"next_page_uri":null}`), 200)
	f.Add([]byte(`{"credentials":[{"id":"cr_1","acl":[]}],"next_page_uri":"https://api.ngrok.com/credentials?before_id=cr_1"}`), 200)
	f.Add([]byte(`{"ssh_credentials":[{"id":"sshcr_1","acl":"*"}],"next_page_uri":null}`), 200)
	f.Add([]byte(`{"id":123,"name":true}`), 200)
	f.Add([]byte(`{"id":"service_1"`), 200)
	f.Add([]byte("\xff\xfe\x00"), 500)
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		if u, err := decodeItem[User](ServiceUsers, body); err == nil && u.ID == "" {
			t.Fatal("decoded a user without an ID")
		} else if err != nil {
			checkMessage(t, err.Error())
		}
		if users, _, err := decodePage[User](ServiceUsers, body); err == nil {
			for _, u := range users {
				if u.ID == "" {
					t.Fatal("decoded a page with a user without an ID")
				}
			}
		} else {
			checkMessage(t, err.Error())
		}
		if c, err := decodeItem[Credential](APIKeys, body); err == nil && c.ID == "" {
			t.Fatal("decoded a credential without an ID")
		} else if err != nil {
			checkMessage(t, err.Error())
		}
		for _, col := range []Collection{APIKeys, Authtokens, SSHCredentials} {
			if creds, _, err := decodePage[Credential](col, body); err == nil {
				for _, c := range creds {
					if c.ID == "" {
						t.Fatalf("decoded a page of %s with a credential without an ID", col)
					}
				}
			} else {
				checkMessage(t, err.Error())
			}
		}
		if status >= 400 && status < 600 {
			e := apiError("GET", "/service_users", status, http.Header{"Content-Type": {"text/html"}}, body)
			if e.StatusCode != status {
				t.Fatalf("status %d became %d", status, e.StatusCode)
			}
			checkMessage(t, e.Error())
		}
	})
}

func checkMessage(t *testing.T, msg string) {
	t.Helper()
	if !utf8.ValidString(msg) && !strings.Contains(msg, "\\x") {
		// Quoted snippets escape invalid bytes; raw ones would garble a terminal.
		t.Fatalf("message is not valid UTF-8: %q", msg)
	}
	if len(msg) > 4096 {
		t.Fatalf("message of %d bytes: a diagnostic must stay readable", len(msg))
	}
}
