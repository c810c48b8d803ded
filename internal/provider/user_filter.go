package provider

import (
	"context"
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// userFilter is how the ngrok_users data source and the ngrok_service_user
// list resource select users; both take these attributes, which mean the
// same in each.
type userFilter struct {
	Name      types.String `tfsdk:"name"`
	NameRegex types.String `tfsdk:"name_regex"`
	Active    types.Bool   `tfsdk:"active"`
	Filter    types.String `tfsdk:"filter"`
	Role      types.String `tfsdk:"role"`
	// IncludeBotUsers adds the users of /bot_users that /service_users did not list.
	IncludeBotUsers types.Bool `tfsdk:"include_bot_users"`
}

// userFilterDocs are the descriptions of userFilter's attributes, for each
// schema that has them.
var userFilterDocs = map[string]string{
	"name": "Only users with exactly this name. Sent to the API as `obj.name == \"…\"`.",
	"name_regex": "Only users whose name matches this regular expression ([RE2 syntax](https://github.com/google/re2/wiki/Syntax)); " +
		"it matches anywhere in the name unless anchored with `^` and `$`. Sent to the API as `obj.name.matches(\"…\")`, " +
		"which the API's CEL evaluates.",
	"active": "Only active users (`true`) or only inactive ones (`false`). Sent to the API as `obj.active == true` (or `false`).",
	"filter": "A [CEL](https://ngrok.com/docs/api/#filtering) expression over `obj`, such as " +
		"`obj.name.startsWith(\"ci-\") && obj.active`, evaluated by the API alone. An error in it is reported at its own " +
		"line and column.",
	"role": "Only users holding this role, such as `developer-readonly`. ngrok documents no filter over roles, so this one is " +
		"checked here, on the roles ngrok's replies report: where they report none (ngrok's documents disagree on whether " +
		"they do), no user matches.",
	"include_bot_users": "Also list `/bot_users`, where users created as bot users live, and add those `/service_users` " +
		"did not list, each user once. ngrok does not document whether `/service_users` lists users created as bot users; " +
		"set this where none may be missed, such as a gate on users nobody manages. It costs a list of `/bot_users` " +
		"(a request per 100 users), filtered by `name`, `name_regex` and `active` here rather than by the API, and cannot " +
		"be combined with `filter`: ngrok documents CEL filters for `/service_users` only.",
}

// validate reports what is wrong with the filter's known values, naming the
// attribute, before any request: a regular expression or a CEL filter that
// does not compile among them.
func (f *userFilter) validate(diags *diag.Diagnostics) {
	if !f.NameRegex.IsNull() && !f.NameRegex.IsUnknown() {
		if _, err := regexp.Compile(f.NameRegex.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex",
				fmt.Sprintf("%s is not a regular expression: %s.", quoteShort(f.NameRegex.ValueString()), err))
		}
	}
	checkFilter(f.Filter, "user", "obj.active", diags)
	if !f.Filter.IsNull() && f.IncludeBotUsers.ValueBool() {
		diags.AddAttributeError(path.Root("include_bot_users"), "filter and include_bot_users together",
			"include_bot_users lists /bot_users, where ngrok documents no CEL filter, so filter could not be applied to the bot users. "+
				"Use name, name_regex and active instead, or leave include_bot_users out.")
	}
}

// celFilter combines the filters into one CEL expression for the API, so
// that only matching users are paged through.
func (f *userFilter) celFilter() string {
	var terms []string
	if !f.Filter.IsNull() {
		terms = append(terms, celGroup(f.Filter.ValueString()))
	}
	if !f.Name.IsNull() {
		terms = append(terms, "obj.name == "+ngrok.CELString(f.Name.ValueString()))
	}
	if !f.NameRegex.IsNull() {
		terms = append(terms, "obj.name.matches("+ngrok.CELString(f.NameRegex.ValueString())+")")
	}
	if !f.Active.IsNull() {
		terms = append(terms, fmt.Sprintf("obj.active == %t", f.Active.ValueBool()))
	}
	return strings.Join(terms, " && ")
}

// matcher applies the filters that can be checked here (all but the CEL one).
func (f *userFilter) matcher() (func(*ngrok.User) bool, error) {
	var re *regexp.Regexp
	if !f.NameRegex.IsNull() {
		var err error
		if re, err = regexp.Compile(f.NameRegex.ValueString()); err != nil {
			return nil, fmt.Errorf("%s is not a regular expression: %w", quoteShort(f.NameRegex.ValueString()), err)
		}
	}
	return func(u *ngrok.User) bool {
		return (f.Name.IsNull() || u.Name == f.Name.ValueString()) &&
			(re == nil || re.MatchString(u.Name)) &&
			(f.Active.IsNull() || u.Active == f.Active.ValueBool()) &&
			(f.Role.IsNull() || u.Roles != nil && slices.Contains(*u.Roles, f.Role.ValueString()))
	}, nil
}

// users yields the matching users, newest first, as the pages of pageSize
// (100 for 0) arrive: the service users, then, with include_bot_users, the
// bot users not listed already. A caller that stops reading fetches no
// further page. An error is the last thing yielded, in the user's terms.
func (f *userFilter) users(ctx context.Context, client *ngrok.Client, pageSize int) iter.Seq2[ngrok.User, error] {
	return func(yield func(ngrok.User, error) bool) {
		match, err := f.matcher()
		if err != nil {
			yield(ngrok.User{}, err)
			return
		}
		listed := map[string]bool{} // by ngrok.UserKey: a bot user is listed once
		for u, err := range client.Users(ngrok.ServiceUsers).List(ctx, ngrok.ListOptions{Filter: f.celFilter(), Limit: pageSize}) {
			if err != nil {
				yield(ngrok.User{}, inFilterTerms(err, f.Filter))
				return
			}
			// The API filtered already; checking again costs nothing and
			// keeps the result right if a server ignores the filter.
			if !match(&u) {
				continue
			}
			listed[ngrok.UserKey(u.ID)] = true
			if !yield(u, nil) {
				return
			}
		}
		if !f.IncludeBotUsers.ValueBool() {
			return
		}
		for u, err := range client.Users(ngrok.BotUsers).List(ctx, ngrok.ListOptions{Limit: pageSize}) {
			if err != nil {
				yield(ngrok.User{}, err)
				return
			}
			if listed[ngrok.UserKey(u.ID)] || !match(&u) {
				continue
			}
			listed[ngrok.UserKey(u.ID)] = true
			if !yield(u, nil) {
				return
			}
		}
	}
}
