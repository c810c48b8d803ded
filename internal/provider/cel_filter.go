package provider

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"cel.dev/cel-go/cel"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// celCheck returns why a filter would not compile, in the user's terms
// ("filter line 1, column 12: …"), or "" if it would: the syntax, and names
// other than obj. Which fields obj has is ngrok's to say, so a misspelt field
// is still the API's to refuse (see inFilterTerms).
func celCheck(expr string) string {
	env, err := cel.NewEnv(cel.Variable("obj", cel.DynType))
	if err != nil {
		return ""
	}
	if _, iss := env.Compile(expr); iss.Err() != nil {
		return celIssue.ReplaceAllString(iss.Err().Error(), "${1}filter line ${2}, column ${3}: ${4}${5}")
	}
	return ""
}

// celGroup puts a CEL expression from configuration in parentheses, on lines
// of its own, so that one ending in a // comment does not comment out the
// closing parenthesis and the terms after it. It is always the first term of
// a filter the provider sends, which inFilterTerms relies on.
func celGroup(expr string) string { return "(\n" + expr + "\n)" }

// celIssue is one error of CEL's report: "<input>:LINE:COLUMN: message",
// optionally preceded by "ERROR: " and followed by the line quoted and a
// caret (" | obj.name ==", " | ..........^").
var celIssue = regexp.MustCompile(`(\n?(?:ERROR: )?)<input>:(\d+):(\d+): ([^\n]*)((?:\n \|[^\n]*)*)`)

// inFilterTerms rewrites the API's refusal of a filter (ERR_NGROK_230), whose
// positions count lines and columns of the expression the provider sent, so
// that they refer to filter, the expression the user wrote: the first line
// of the user's filter is the second line sent (see celGroup). A complaint
// about what the provider added (the closing parenthesis, the terms after
// it) is an expression that ended early, and is placed at the end of the
// user's; it is left out when the user's own text has another error.
func inFilterTerms(err error, filter types.String) error {
	var apiErr *ngrok.Error
	if filter.IsNull() || filter.IsUnknown() || !errors.As(err, &apiErr) || apiErr.ErrorCode != "ERR_NGROK_230" {
		return err
	}
	mapped := *apiErr
	mapped.Message = mapCELPositions(apiErr.Message, filter.ValueString())
	return &mapped
}

func mapCELPositions(msg, filter string) string {
	lines := strings.Split(filter, "\n")
	inFilter := func(m []string) bool {
		line, _ := strconv.Atoi(m[2])
		return line >= 2 && line <= len(lines)+1
	}
	matches := celIssue.FindAllStringSubmatch(msg, -1)
	ownErrors := false
	for _, m := range matches {
		ownErrors = ownErrors || inFilter(m)
	}
	return celIssue.ReplaceAllStringFunc(msg, func(issue string) string {
		m := celIssue.FindStringSubmatch(issue)
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		text := m[4]
		if inFilter(m) {
			line--
		} else {
			if ownErrors {
				return ""
			}
			// CEL names the token it met: the provider's parenthesis or
			// term, which the user never wrote.
			line, col = len(lines), utf8.RuneCountInString(lines[len(lines)-1])+1
			// The expression was complete when the provider's ')' came: the
			// user's parentheses closed the provider's '('.
			if strings.Contains(text, "input ')' expecting <EOF>") {
				text = "the filter has a ')' that closes no '('"
			} else {
				text = "the filter ends before the expression does: " + foundToken.ReplaceAllString(text, "")
			}
		}
		// The caret stays on the line quoted, whatever column the reply names.
		caret := min(max(col, 1), utf8.RuneCountInString(lines[line-1])+1)
		return fmt.Sprintf("%sfilter line %d, column %d: %s\n | %s\n | %s^", m[1], line, col, text,
			lines[line-1], strings.Repeat(".", caret-1))
	})
}

// foundToken is the part of a syntax error that quotes the token found
// where another was expected.
var foundToken = regexp.MustCompile(`(?:mismatched|extraneous) input '[^']*' | at '[^']*'`)

// checkFilter reports, on filter, a known filter that is empty (only white
// space) or would not compile; noun and example say what it lists and how.
// What compiles may still name a field ngrok's objects lack: the API says so.
func checkFilter(filter types.String, noun, example string, diags *diag.Diagnostics) {
	if filter.IsNull() || filter.IsUnknown() {
		return
	}
	switch expr := filter.ValueString(); {
	case strings.TrimSpace(expr) == "":
		diags.AddAttributeError(path.Root("filter"), "Empty filter",
			"filter is empty; remove it to list every "+noun+", or give a CEL expression such as "+example+".")
	case celCheck(expr) != "":
		diags.AddAttributeError(path.Root("filter"), "Invalid filter", "filter is not a CEL expression the API could evaluate:\n"+celCheck(expr))
	}
}
