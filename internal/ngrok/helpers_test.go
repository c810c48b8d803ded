package ngrok_test

import "github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"

// idOf is the ID of what a read returned, "" for nothing.
func idOf[T ngrok.Object](obj *T) string {
	switch obj := any(obj).(type) {
	case *ngrok.User:
		if obj != nil {
			return obj.ID
		}
	case *ngrok.Credential:
		if obj != nil {
			return obj.ID
		}
	}
	return ""
}
