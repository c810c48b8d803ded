package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/ext"
)

const (
	maxPageSize = 100
	// filterCostLimit bounds the work one filter may do per object, so a
	// pathological expression is refused (ERR_NGROK_230) instead of spinning.
	filterCostLimit = 100_000
)

// pageRequest is the paging and filter part of a list request, checked.
type pageRequest struct {
	limit    int
	beforeID string
	filter   string
	prg      cel.Program // nil without a filter
}

// parsePage reads limit, before_id and filter, replying with the API's error
// when one is wrong. before_id must be an ID of the route but need not exist.
func (c *call) parsePage() (pageRequest, bool) {
	q := c.r.URL.Query()
	p := pageRequest{limit: maxPageSize, beforeID: q.Get("before_id"), filter: q.Get("filter")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			c.fail(http.StatusBadRequest, "ERR_NGROK_233", fmt.Sprintf("The page size limit must be between 1 and %d but %q was provided.", maxPageSize, v))
			return p, false
		}
		p.limit = n
	}
	if p.beforeID != "" && !c.coll.validID(p.beforeID) {
		c.badParam("before_id", fmt.Sprintf("%q is not a valid identifier.", p.beforeID))
		return p, false
	}
	if p.filter != "" {
		var err error
		if p.prg, err = c.coll.compileFilter(p.filter); err != nil {
			c.badFilter(err)
			return p, false
		}
	}
	return p, true
}

// listItem is an object of a list reply.
type listItem interface {
	itemID() string
	filterObj() any // what `obj` is in a filter
}

// replyPage sends one page of candidates, which are newest first and all
// before before_id. view renders a candidate as the route shows it, or
// reports that the route does not serve it. The filter is applied before
// paging, and the page is followed by a next_page_uri only when an older
// match exists, so a client never fetches an empty last page. Candidates are
// rendered only until that match is found: a small page of a large
// collection costs little more than the page.
func replyPage[T any, V listItem](c *call, p pageRequest, candidates []T, view func(T) (V, bool)) {
	page := make([]V, 0, min(p.limit, len(candidates)))
	more := false
	for _, cand := range candidates {
		v, ok := view(cand)
		if !ok {
			continue
		}
		if p.prg != nil {
			match, err := evalFilter(p.prg, v.filterObj())
			if err != nil {
				c.badFilter(err)
				return
			}
			if !match {
				continue
			}
		}
		if len(page) == p.limit {
			more = true // one older match exists: there is a next page
			break
		}
		page = append(page, v)
	}

	collURI := c.base + "/" + c.coll.path
	var next *string
	if more {
		u := collURI + "?before_id=" + url.QueryEscape(page[len(page)-1].itemID()) + "&limit=" + strconv.Itoa(p.limit)
		if p.filter != "" {
			u += "&filter=" + url.QueryEscape(p.filter)
		}
		next = &u
	}
	c.reply(http.StatusOK, map[string]any{
		c.coll.listKey:  page,
		"uri":           collURI,
		"next_page_uri": next,
	})
}

// newFilterEnv declares `obj` as the typed object T rather than a map: a typo
// in a field name or a filter that is not boolean is then a compile error,
// reported whether or not any object exists, instead of a failure that
// depends on the data. Field access (obj.name) reads the same either way.
func newFilterEnv[T any]() (*cel.Env, error) {
	t := reflect.TypeFor[T]()
	return cel.NewEnv(
		ext.NativeTypes(t, ext.ParseStructTag("json")),
		cel.Variable("obj", cel.ObjectType("emulator."+t.Name())),
	)
}

// compileFilter compiles a filter once per request.
func (coll *collection) compileFilter(expr string) (cel.Program, error) {
	env, err := coll.filterEnv()
	if err != nil {
		return nil, err
	}
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	if t := ast.OutputType(); !t.IsExactType(cel.BoolType) && !t.IsExactType(cel.DynType) {
		return nil, fmt.Errorf("filter must evaluate to a bool, not %s", t)
	}
	return env.Program(ast, cel.CostLimit(filterCostLimit))
}

// evalFilter runs a compiled filter on one object. A dyn-typed filter can
// still produce a non-bool at run time, which is an error like any other.
func evalFilter(prg cel.Program, v any) (bool, error) {
	out, _, err := prg.Eval(map[string]any{"obj": v})
	if err != nil {
		return false, err
	}
	b, ok := out.Value().(bool)
	if !ok {
		return false, fmt.Errorf("filter must evaluate to a bool, not %s", out.Type())
	}
	return b, nil
}

func (c *call) badFilter(err error) {
	c.fail(http.StatusBadRequest, "ERR_NGROK_230", fmt.Sprintf("The query part of the requested URI is invalid: filter: %v", err))
}
