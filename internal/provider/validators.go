package provider

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// stringCheck is a string validator made of its description and a check of
// a known value. Null and unknown values are not checked: an unknown one is
// checked once it is known.
type stringCheck struct {
	description string
	summary     string // the error's title, such as "Invalid acl rule"
	// check returns why the value at p is refused, or "".
	check func(p path.Path, value string) string
}

var _ validator.String = stringCheck{}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if why := v.check(req.Path, req.ConfigValue.ValueString()); why != "" {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, why)
	}
}

// userNameValidator refuses names that could only cause trouble: empty or
// blank names, names with leading or trailing white space (which would show
// as drift if the API ever trims them), control characters, and the
// bidirectional controls that make a name display as something it is not.
func userNameValidator() validator.String {
	return stringCheck{
		description: "must not be empty, start or end with white space, or contain control characters or bidirectional controls",
		summary:     "Invalid service user name",
		check:       func(_ path.Path, name string) string { return checkUserName(name) },
	}
}

// checkUserName returns why name is unusable, or "".
func checkUserName(name string) string {
	const suggestion = " Give the service user a name that says what logs in with it, such as \"ci-deployer\"."
	switch {
	case name == "":
		return "The name is empty." + suggestion
	case strings.TrimSpace(name) == "":
		return fmt.Sprintf("The name %s is only white space (%d characters)."+suggestion, quoteShort(name), utf8.RuneCountInString(name))
	case strings.TrimSpace(name) != name:
		return fmt.Sprintf("The name %s starts or ends with white space; remove it.", quoteShort(name))
	}
	pos := 0
	for _, r := range name {
		pos++
		switch {
		case unicode.IsControl(r):
			return fmt.Sprintf("The name %s contains the control character %U; use printable characters only.", quoteShort(name), r)
		case isBidiControl(r):
			// The character itself is not shown: it would reorder the message too.
			return fmt.Sprintf("The name contains the bidirectional control %U at character %d (of %d): it makes a name display "+
				"in an order other than the one it has (the \"Trojan Source\" trick, e.g. \"abc\\u202egpj.exe\" showing as \"abcexe.jpg\"). "+
				"Remove it.", r, pos, utf8.RuneCountInString(name))
		}
	}
	return ""
}

// isBidiControl reports the explicit embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069). Other format characters stay allowed: the
// zero width joiner (U+200D) holds emoji sequences together.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
