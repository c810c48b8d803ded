package provider

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// userNameValidator refuses names that could only cause trouble: empty or
// blank names, names with leading or trailing white space (which would show
// as drift if the API ever trims them), and control characters.
type userNameValidator struct{}

var _ validator.String = userNameValidator{}

func (userNameValidator) Description(context.Context) string {
	return "must not be empty, start or end with white space, or contain control characters"
}

func (v userNameValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (userNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := checkUserName(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid service user name", msg)
	}
}

// checkUserName returns why name is unusable, or "".
func checkUserName(name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return "The name is empty. Give the service user a name that says what logs in with it, such as \"ci-deployer\"."
	case strings.TrimSpace(name) != name:
		return fmt.Sprintf("The name %s starts or ends with white space; remove it.", quoteShort(name))
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return fmt.Sprintf("The name %s contains the control character %U; use printable characters only.", quoteShort(name), r)
		}
	}
	return ""
}
