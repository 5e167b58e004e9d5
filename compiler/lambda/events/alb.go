package events

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
)

// albListenerArn is an application load balancer listener's ARN: its
// first group names the load balancer, the second the listener.
var albListenerArn = lazyre.New(`^arn:aws[\w-]*:elasticloadbalancing:.+:listener/app/[\w-]+/([\w-]+)/([\w-]+)$`)

// albTargetGroupName is Elastic Load Balancing's rule for target group
// names: up to 32 letters, digits and hyphens, no hyphen at either end.
var albTargetGroupName = lazyre.New(`^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$`)

// albRule is one alb event, validated.
type albRule struct {
	fn function
	ev *schema.FunctionEvent
	e  *schema.ALBEvent
	// albID names the load balancer (or the listener given by Ref) in
	// logical IDs; listenerID tells listeners apart.
	albID, listenerID string
	// priority is the priority's text in logical IDs; priorityKey also
	// tells a number from a string, as the framework compares them.
	priority, priorityKey string
	multiValue            bool
	authorizers           []*schema.ALBAuthorizer
}

// albs compiles alb events as the framework does: per event a target
// group for the function, a listener rule forwarding to it (after the
// provider's authorizers), and the permissions for the load balancer.
func (c *compiler) albs() {
	rules := c.albRules()
	for _, r := range rules {
		c.albTargetGroup(r)
	}
	for _, r := range rules {
		c.albListenerRule(r)
	}
	for _, r := range rules {
		tg := r.targetGroupID()
		invoke := func(sourceArn any) map[string]any {
			props := map[string]any{"FunctionName": r.fn.Target, "Action": "lambda:InvokeFunction", "Principal": "elasticloadbalancing.amazonaws.com"}
			if sourceArn != nil {
				props["SourceArn"] = sourceArn
			}
			p := map[string]any{"Type": "AWS::Lambda::Permission", "Properties": props}
			if r.fn.AliasID != "" {
				p["DependsOn"] = []any{r.fn.AliasID}
			}
			return p
		}
		albID, registerID := norm(r.fn.Key)+"LambdaPermissionAlb", norm(r.fn.Key)+"LambdaPermissionRegisterTarget"
		c.own(r.fn, albID, registerID)
		c.merge(albID, invoke(ref(tg)))
		c.merge(registerID, invoke(nil))
	}
}

func (r albRule) targetGroupID() string {
	multi := ""
	if r.multiValue {
		multi = "MultiValue"
	}
	return norm(r.fn.Key) + "Alb" + multi + "TargetGroup" + r.albID
}

// albTargetGroup is the function's target group of the event.
func (c *compiler) albTargetGroup(r albRule) {
	svc := c.svc
	var name any
	if r.e.TargetGroupName.Truthy() {
		name = value(r.e.TargetGroupName)
	} else {
		name = c.albGeneratedName(r)
	}
	var multiValue any = false
	if r.multiValue {
		multiValue = value(r.e.MultiValueHeaders)
	}
	props := map[string]any{
		"TargetType": "lambda", "Targets": []any{map[string]any{"Id": r.fn.Target}}, "Name": name,
		"Tags":                  []any{map[string]any{"Key": "Name", "Value": svc.Name + "-" + r.fn.Key + "-" + r.albID + "-" + svc.Stage}},
		"TargetGroupAttributes": []any{map[string]any{"Key": "lambda.multi_value_headers.enabled", "Value": multiValue}},
		"HealthCheckEnabled":    false,
	}
	if r.e.HealthCheck.Truthy() {
		props["HealthCheckEnabled"] = true
		props["HealthCheckPath"] = "/"
		props["HealthCheckIntervalSeconds"] = json.Number("35")
		props["HealthCheckTimeoutSeconds"] = json.Number("30")
		props["HealthyThresholdCount"] = json.Number("5")
		props["UnhealthyThresholdCount"] = json.Number("5")
		props["Matcher"] = map[string]any{"HttpCode": "200"}
		h := r.e.HealthCheckSettings
		setGiven(props, "HealthCheckIntervalSeconds", h.IntervalSeconds)
		setGiven(props, "HealthCheckPath", h.Path)
		setGiven(props, "HealthCheckTimeoutSeconds", h.TimeoutSeconds)
		setGiven(props, "HealthyThresholdCount", h.HealthyThresholdCount)
		if h.UnhealthyThresholdCount.Truthy() {
			props["UnhealthyThresholdCount"] = value(h.UnhealthyThresholdCount)
		}
		if h.MatcherHTTPCode.Truthy() {
			props["Matcher"] = map[string]any{"HttpCode": value(h.MatcherHTTPCode)}
		}
	}
	deps := []any{norm(r.fn.Key) + "LambdaPermissionRegisterTarget"}
	if r.fn.AliasID != "" {
		deps = append(deps, r.fn.AliasID)
	}
	id := r.targetGroupID()
	c.own(r.fn, id)
	c.res[id] = map[string]any{"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": props, "DependsOn": deps}
}

// albGeneratedName is the framework's target group name: the prefix and
// the MD5 of the service, function, load balancer and stage, cut to 32
// characters.
func (c *compiler) albGeneratedName(r albRule) string {
	multi := ""
	if r.multiValue {
		multi = "multi-value-"
	}
	sum := md5.Sum([]byte(c.svc.Name + "-" + r.fn.Key + "-" + r.albID + "-" + multi + c.svc.Stage))
	name := []rune(c.albPrefix() + hex.EncodeToString(sum[:]))
	if len(name) > 32 {
		name = name[:32]
	}
	return string(name)
}

func (c *compiler) albPrefix() string {
	p := c.svc.Provider.ALB.TargetGroupPrefix
	if !p.Truthy() || p.Kind == schema.Map || p.Kind == schema.List {
		return ""
	}
	return p.Value
}

// albListenerRule is the event's listener rule: the authorizers'
// actions, then forwarding to the target group, when the conditions hold.
func (c *compiler) albListenerRule(r albRule) {
	var actions []any
	order := 0
	for _, a := range r.authorizers {
		order++
		config := map[string]any{}
		if str(a.Type) == "cognito" {
			setGiven(config, "UserPoolArn", a.UserPoolArn)
			setGiven(config, "UserPoolClientId", a.UserPoolClientID)
			setGiven(config, "UserPoolDomain", a.UserPoolDomain)
		} else {
			setGiven(config, "AuthorizationEndpoint", a.AuthorizationEndpoint)
			setGiven(config, "ClientId", a.ClientID)
			setGiven(config, "Issuer", a.Issuer)
			setGiven(config, "TokenEndpoint", a.TokenEndpoint)
			setGiven(config, "UserInfoEndpoint", a.UserInfoEndpoint)
		}
		config["OnUnauthenticatedRequest"] = "deny"
		if a.OnUnauthenticatedRequest.Truthy() {
			config["OnUnauthenticatedRequest"] = value(a.OnUnauthenticatedRequest)
		}
		setGiven(config, "AuthenticationRequestExtraParams", a.RequestExtraParams)
		setGiven(config, "Scope", a.Scope)
		setGiven(config, "SessionCookieName", a.SessionCookieName)
		setGiven(config, "SessionTimeout", a.SessionTimeout)
		if str(a.Type) == "cognito" {
			actions = append(actions, map[string]any{"Type": "authenticate-cognito", "Order": json.Number(strconv.Itoa(order)), "AuthenticateCognitoConfig": config})
			continue
		}
		if a.ClientSecret.Truthy() {
			config["ClientSecret"] = value(a.ClientSecret)
		} else {
			config["UseExistingClientSecret"] = true
		}
		actions = append(actions, map[string]any{"Type": "authenticate-oidc", "Order": json.Number(strconv.Itoa(order)), "AuthenticateOidcConfig": config})
	}
	forward := map[string]any{"Type": "forward", "TargetGroupArn": ref(r.targetGroupID())}
	if order > 0 {
		forward["Order"] = json.Number(strconv.Itoa(order + 1))
	}
	actions = append(actions, forward)

	e := r.e
	conditions := []any{}
	if e.Path.Truthy() {
		conditions = append(conditions, map[string]any{"Field": "path-pattern", "Values": listValue(e.Path)})
	}
	if e.Host.Truthy() {
		conditions = append(conditions, map[string]any{"Field": "host-header", "HostHeaderConfig": map[string]any{"Values": listValue(e.Host)}})
	}
	if e.Method.Truthy() {
		conditions = append(conditions, map[string]any{"Field": "http-request-method", "HttpRequestMethodConfig": map[string]any{"Values": listValue(e.Method)}})
	}
	if e.Header.Truthy() {
		headers := []*schema.Node{e.Header}
		if e.Header.Kind == schema.List {
			headers = e.Header.Items
		}
		for _, h := range headers {
			config := map[string]any{}
			if n := h.Get("name"); n != nil {
				config["HttpHeaderName"] = value(n)
			}
			if v := h.Get("values"); v != nil {
				config["Values"] = value(v)
			}
			conditions = append(conditions, map[string]any{"Field": "http-header", "HttpHeaderConfig": config})
		}
	}
	if q := e.Query; q.Truthy() && q.Kind == schema.Map {
		values := []any{}
		for _, p := range objectKeyOrder(q.Pairs) {
			values = append(values, map[string]any{"Key": p.Key, "Value": value(p.Value)})
		}
		conditions = append(conditions, map[string]any{"Field": "query-string", "QueryStringConfig": map[string]any{"Values": values}})
	}
	if e.IP.Truthy() {
		conditions = append(conditions, map[string]any{"Field": "source-ip", "SourceIpConfig": map[string]any{"Values": listValue(e.IP)}})
	}
	props := map[string]any{"Actions": actions, "Conditions": conditions, "ListenerArn": value(e.ListenerArn)}
	if e.Priority != nil {
		props["Priority"] = value(e.Priority)
	}
	id := norm(r.fn.Key) + "AlbListenerRule" + r.priority
	c.own(r.fn, id)
	c.res[id] = map[string]any{"Type": "AWS::ElasticLoadBalancingV2::ListenerRule", "Properties": props}
}

// listValue is [].concat(n): a list as it is, anything else in a list.
func listValue(n *schema.Node) any {
	if n.Kind == schema.List {
		return value(n)
	}
	return []any{value(n)}
}

// objectKeyOrder is the order of Object.keys: integer-like keys first,
// ascending, then the others as written.
func objectKeyOrder(pairs []schema.Pair) []schema.Pair {
	out := append([]schema.Pair(nil), pairs...)
	index := func(k string) (uint64, bool) {
		n, err := strconv.ParseUint(k, 10, 32)
		return n, err == nil && n < 1<<32-1 && strconv.FormatUint(n, 10) == k
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, aok := index(out[i].Key)
		b, bok := index(out[j].Key)
		if aok && bok {
			return a < b
		}
		return aok && !bok
	})
	return out
}

// albRules validates the alb events as the framework does, function by
// function and event by event, then their priorities.
func (c *compiler) albRules() []albRule {
	var rules []albRule
	prefix := c.svc.Provider.ALB.TargetGroupPrefix
	for _, fn := range c.fns {
		for _, ev := range fn.EventList {
			e := ev.ALB
			if e == nil {
				continue
			}
			if !e.Object {
				c.strictf(ev.Value.Pos, fmt.Sprintf("function %q: the alb event is not an object", fn.Key),
					"The framework ignores an alb event that is no object, so no load balancer would reach the function. Give {listenerArn, priority, conditions}.")
				continue
			}
			r := albRule{fn: fn, ev: ev, e: e, multiValue: e.MultiValueHeaders.Truthy()}
			ok := true
			switch l := e.ListenerArn; {
			case l == nil:
				c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: the alb event needs listenerArn", fn.Key),
					"Give the listener's ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>) or {Ref: <listener>}; the framework fails without it.")
				ok = false
			case l.Kind == schema.Map && l.Get("Ref").Truthy() && l.Get("Ref").Kind == schema.String:
				r.albID, r.listenerID = l.Get("Ref").Value, l.Get("Ref").Value
			case l.Kind == schema.String:
				m := albListenerArn.FindStringSubmatch(l.Value)
				if m == nil {
					c.diags.Errorf(l.Pos, fmt.Sprintf("function %q: invalid ALB listenerArn", fn.Key),
						"The framework fails on it: an application load balancer listener's ARN is arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>.")
					ok = false
				} else {
					r.albID, r.listenerID = m[1], m[2]
				}
			default:
				c.diags.Errorf(l.Pos, fmt.Sprintf("function %q: the alb event's listenerArn must be an ARN or a Ref", fn.Key),
					"The framework fails on other intrinsic functions: give the listener's ARN, or {Ref: <listener>} for a listener of the stack.")
				ok = false
			}
			switch cond := e.Conditions; {
			case cond == nil:
				c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: the alb event needs conditions", fn.Key),
					"Give at least one of path, host, method, header, query or ip under conditions:; the framework fails without them.")
				ok = false
			case cond.Kind == schema.Map && len(cond.Pairs) == 0:
				c.diags.Errorf(cond.Pos, fmt.Sprintf("function %q: the alb event needs a condition", fn.Key),
					"The framework fails (At least one condition must be defined): give path, host, method, header, query or ip.")
				ok = false
			case !(e.Path.Truthy() || e.Host.Truthy() || e.Method.Truthy() || e.Header.Truthy() || e.Query.Truthy() && e.Query.Kind == schema.Map || e.IP.Truthy()):
				c.strictf(cond.Pos, fmt.Sprintf("function %q: the alb event has no condition the framework knows", fn.Key),
					"The listener rule gets no conditions, which Elastic Load Balancing rejects. The conditions are path, host, method, header, query (an object) and ip.")
			}
			switch p := e.Priority; {
			case p == nil:
				r.priority, r.priorityKey = "undefined", "undefined"
				c.strictf(ev.KeyPos, fmt.Sprintf("function %q: the alb event needs priority", fn.Key),
					"A listener rule needs a priority from 1 to 50000 (lower runs first); Elastic Load Balancing rejects a rule without one.")
			case p.Kind == schema.Number:
				r.priority = schema.FormatNumber(p.Num)
				r.priorityKey = "n" + r.priority
			case p.Kind == schema.String || p.Kind == schema.Bool:
				r.priority, r.priorityKey = p.Value, "s"+p.Value
			default:
				c.diags.Errorf(p.Pos, fmt.Sprintf("function %q: the alb event's priority must be a number", fn.Key),
					"Give the rule's priority, a whole number from 1 to 50000.")
				ok = false
			}
			if p := e.Priority; p != nil && (p.Kind == schema.Number || p.Kind == schema.String) {
				c.checkRange(p, fmt.Sprintf("functions.%s.events[%d].alb.priority", fn.Key, ev.Index), 1, 50000)
			}
			if n := e.TargetGroupName; n.Truthy() && prefix.Truthy() {
				c.diags.Errorf(n.Pos, fmt.Sprintf("function %q: targetGroupName and provider.alb.targetGroupPrefix exclude each other", fn.Key),
					"The framework fails when both are set: remove targetGroupName, or the prefix.")
				ok = false
			}
			if a := e.Authorizer; a.Truthy() {
				names := []*schema.Node{a}
				if a.Kind == schema.List {
					names = a.Items
				}
				for _, n := range names {
					auth := c.svc.Provider.ALB.Authorizer(n.Value)
					if auth == nil || n.Kind == schema.Map || n.Kind == schema.List {
						c.diags.Errorf(n.Pos, fmt.Sprintf("function %q: ALB authorizer %s is not in provider.alb.authorizers", fn.Key, describeValue(n)),
							"The framework fails: name an authorizer defined under provider.alb.authorizers.")
						ok = false
						continue
					}
					r.authorizers = append(r.authorizers, auth)
				}
			}
			if ok {
				c.checkALBValues(r)
				rules = append(rules, r)
			}
		}
	}
	c.checkALBPriorities(rules)
	return rules
}

// checkALBValues reports target group names and health check settings
// Elastic Load Balancing rejects.
func (c *compiler) checkALBValues(r albRule) {
	e := r.e
	what := func(key string) string {
		return fmt.Sprintf("functions.%s.events[%d].alb.%s", r.fn.Key, r.ev.Index, key)
	}
	name, pos := "", r.ev.KeyPos
	switch n := e.TargetGroupName; {
	case n.Truthy():
		name, pos = n.Value, n.Pos
	case c.svc.Provider.ALB.TargetGroupPrefix.Truthy():
		name, pos = c.albGeneratedName(r), c.svc.Provider.ALB.TargetGroupPrefix.Pos
	}
	if name != "" && !albTargetGroupName.MatchString(name) {
		c.strictf(pos, fmt.Sprintf("invalid target group name %q", name),
			"Elastic Load Balancing names target groups with up to 32 letters, digits and hyphens, not starting or ending with a hyphen.")
	}
	if e.HealthCheck.Truthy() {
		h := e.HealthCheckSettings
		c.checkRange(h.IntervalSeconds, what("healthCheck.intervalSeconds"), 5, 300)
		c.checkRange(h.TimeoutSeconds, what("healthCheck.timeoutSeconds"), 2, 120)
		c.checkRange(h.HealthyThresholdCount, what("healthCheck.healthyThresholdCount"), 2, 10)
		c.checkRange(h.UnhealthyThresholdCount, what("healthCheck.unhealthyThresholdCount"), 2, 10)
	}
}

// checkALBPriorities reports what the framework refuses: one priority
// for a function's rules on different listeners (their logical IDs would
// collide) or for different functions' rules on one listener; and, as
// the framework does not, one priority for a function's rules on one
// listener, where the later rule replaces the earlier.
func (c *compiler) checkALBPriorities(rules []albRule) {
	for i, r := range rules {
		for _, prev := range rules[:i] {
			if prev.priorityKey != r.priorityKey {
				continue
			}
			pos := posOf(r.e.Priority, r.ev.KeyPos)
			sameListener, sameFunction := prev.listenerID == r.listenerID, prev.fn.Key == r.fn.Key
			switch {
			case sameFunction && !sameListener:
				c.diags.Errorf(pos, fmt.Sprintf("function %q: ALB priority %s is already in use", r.fn.Key, r.priority),
					"The framework names listener rules after the function and the priority, so one function's rules need different priorities even on different listeners.")
			case !sameFunction && sameListener:
				c.diags.Errorf(pos, fmt.Sprintf("function %q: ALB priority %s is already in use", r.fn.Key, r.priority),
					"Function %q has a rule with that priority on the same listener; each rule of a listener needs its own priority.", prev.fn.Key)
			case sameFunction && sameListener:
				c.strictf(pos, fmt.Sprintf("function %q: ALB priority %s is already in use", r.fn.Key, r.priority),
					"The framework makes one listener rule of both events, the later replacing the earlier, whose conditions then reach nothing. Give each rule its own priority.")
			default:
				continue
			}
			break
		}
	}
}
