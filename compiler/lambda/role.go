package lambda

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
)

// roleBuilder collects IamRoleLambdaExecution while functions compile:
// they add statements for their dead-letter topics, keys, tracing, file
// systems and destinations.
type roleBuilder struct {
	props      map[string]any
	statements []any
	// seenDestinations are the string destinations already granted (the
	// framework memoises that step by its argument).
	seenDestinations map[string]bool
}

func (r *roleBuilder) push(s any) { r.statements = append(r.statements, s) }

func (r *roleBuilder) union(s any) { r.statements = unionWith(r.statements, s) }

func (r *roleBuilder) resource() map[string]any {
	r.props["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"] = r.statements
	return map[string]any{"Type": "AWS::IAM::Role", "Properties": r.props}
}

// IAM's limit on role names.
const maxRoleName = 64

// validRoleName is IAM's pattern, which the framework's schema checks for iam.role.name.
var validRoleName = lazyre.New(`^[A-Za-z0-9/_+=,.@-]{1,64}$`)

// defaultRole starts IamRoleLambdaExecution, unless the provider names an
// existing role or every function has its own (mergeIamTemplates).
func (c *compiler) defaultRole(fns []*schema.Function) {
	p := &c.svc.Provider
	iamRole := p.IAMRole
	if existingRole(iamRole.Node) || p.LegacyRolePresent {
		return
	}
	every := true
	for _, f := range fns {
		if !f.RolePresent {
			every = false
		}
	}
	if every {
		return
	}
	svc, stage := c.svc.Name, c.svc.Stage
	r := &roleBuilder{seenDestinations: map[string]bool{}}
	path := any("/")
	if v := iamRole.Path; v.Truthy() {
		path = value(v)
	}
	var roleName any = map[string]any{"Fn::Join": []any{"-", []any{svc, stage, ref("AWS::Region"), "lambdaRole"}}}
	if n := iamRole.Name; n.Truthy() {
		roleName = value(n)
		if n.Kind == schema.String && !validRoleName.MatchString(n.Value) {
			c.strictf(n.Pos, "invalid role name", "IAM role names are 1 to 64 characters of letters, digits and +=,.@_-; %q has %d.", n.Value, len(n.Value))
		}
	} else if full := fmt.Sprintf("%s-%s-%s-lambdaRole", svc, stage, c.svc.Region); len(full) > maxRoleName {
		c.strictf(c.svc.NamePos, "the default Lambda role name is too long",
			"The framework names the role %q (%d characters), and IAM allows %d, so the deployment would fail. Set provider.iam.role.name to a shorter name, or shorten the service or stage name.",
			full, len(full), maxRoleName)
	}
	r.props = map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Allow", "Principal": map[string]any{"Service": []any{"lambda.amazonaws.com"}}, "Action": []any{"sts:AssumeRole"}}}},
		"Policies": []any{map[string]any{
			"PolicyName":     map[string]any{"Fn::Join": []any{"-", []any{svc, stage, "lambda"}}},
			"PolicyDocument": map[string]any{"Version": "2012-10-17"},
		}},
		"Path":     path,
		"RoleName": roleName,
	}
	if tags := iamRole.Tags; tags != nil && tags.Kind == schema.Map {
		var list []any
		for _, t := range jsOrder(tags.Pairs) {
			list = append(list, map[string]any{"Key": t.Key, "Value": value(stringValue(t.Value))})
		}
		r.props["Tags"] = list
	}
	if b := firstTruthy(iamRole.PermissionsBoundary, iamRole.PermissionBoundary, p.RolePermissionsBoundary); b != nil {
		r.props["PermissionsBoundary"] = value(b)
	}

	logs := func(suffix string) map[string]any {
		return map[string]any{"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:" + suffix}
	}
	var create, put []any
	canonical := svc + "-" + stage
	hasCanonical := false
	var denied []any
	for _, f := range fns {
		if strings.HasPrefix(f.Name, canonical) {
			if f.DisableLogs {
				denied = append(denied, logs("/aws/lambda/"+f.Name+":*"))
			} else {
				hasCanonical = true
			}
			continue
		}
		if !f.DisableLogs {
			create = append(create, logs("/aws/lambda/"+f.Name+":*"))
			put = append(put, logs("/aws/lambda/"+f.Name+":*:*"))
		}
	}
	if hasCanonical {
		create = append(create, logs("/aws/lambda/"+canonical+"*:*"))
		put = append(put, logs("/aws/lambda/"+canonical+"*:*:*"))
	}
	r.statements = []any{
		map[string]any{"Effect": "Allow", "Action": []any{"logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"}, "Resource": orEmpty(create)},
		map[string]any{"Effect": "Allow", "Action": []any{"logs:PutLogEvents"}, "Resource": orEmpty(put)},
	}
	if hasCanonical && len(denied) > 0 {
		r.push(map[string]any{"Effect": "Deny", "Action": "logs:PutLogEvents", "Resource": denied})
	}
	statements := iamRole.Statements
	if statements == nil {
		statements = p.IAMRoleStatements
	}
	if statements != nil && statements.Kind == schema.List {
		for _, s := range statements.Items {
			r.push(coerceStatement(s))
		}
	}
	var managed []any
	policies := iamRole.ManagedPolicies
	if policies == nil {
		policies = p.IAMManagedPolicies
	}
	if policies != nil && policies.Kind == schema.List {
		for _, it := range policies.Items {
			managed = append(managed, value(it))
		}
	}
	vpc := p.VPC != nil
	for _, f := range fns {
		vpc = vpc || f.VPCPresent
	}
	if vpc {
		managed = append(managed, map[string]any{"Fn::Join": []any{"", []any{"arn:", ref("AWS::Partition"), ":iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"}}})
	}
	if len(managed) > 0 {
		r.props["ManagedPolicyArns"] = managed
	}
	c.role = r
}

func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

var logicalResourceID = lazyre.New(`^[#A-Za-z0-9\-_./]+[*]?$`)

// coerceStatement applies the framework's schema coercion to a user IAM
// statement: a single Action becomes a list, a one-string Resource list
// becomes the string.
func coerceStatement(s *schema.Node) any {
	v := value(s)
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for _, k := range []string{"Action", "NotAction"} {
		if a, ok := m[k].(string); ok {
			m[k] = []any{a}
		}
	}
	for _, k := range []string{"Resource", "NotResource"} {
		if l, ok := m[k].([]any); ok && len(l) == 1 {
			// AJV keeps the coercion only when the string then matches a
			// string alternative: an ARN or a logical ID (not "*").
			if s, ok := l[0].(string); ok && (strings.HasPrefix(s, "arn:") || logicalResourceID.MatchString(s)) {
				m[k] = s
			}
		}
	}
	return m
}
