package lambda

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// pluginEffect says what a Serverless plugin does to `sls package`.
type pluginEffect uint8

const (
	// localOnly plugins act outside packaging (emulators, cleanup of old
	// versions, deploy-time helpers): stepform ignores them.
	localOnly pluginEffect = iota + 1
	// reshapes plugins change the code zips or the template in ways
	// stepform does not reproduce.
	reshapes
)

// knownPlugins is what stepform knows about common plugins. The step
// functions plugin is stepform itself.
var knownPlugins = map[string]pluginEffect{
	"serverless-step-functions":              localOnly,
	"serverless-offline":                     localOnly,
	"serverless-offline-sqs":                 localOnly,
	"serverless-offline-sns":                 localOnly,
	"serverless-offline-scheduler":           localOnly,
	"serverless-step-functions-offline":      localOnly,
	"serverless-dynamodb-local":              localOnly,
	"serverless-dynamodb":                    localOnly,
	"serverless-s3-local":                    localOnly,
	"serverless-prune-plugin":                localOnly,
	"serverless-esbuild":                     reshapes,
	"serverless-webpack":                     reshapes,
	"serverless-bundle":                      reshapes,
	"serverless-plugin-typescript":           reshapes,
	"serverless-python-requirements":         reshapes,
	"serverless-dotenv-plugin":               reshapes,
	"serverless-plugin-warmup":               reshapes,
	"serverless-iam-roles-per-function":      reshapes,
	"serverless-plugin-include-dependencies": reshapes,
	"serverless-plugin-common-excludes":      reshapes,
	"serverless-plugin-tracing":              reshapes,
	"serverless-plugin-aws-alerts":           reshapes,
	"serverless-domain-manager":              reshapes,
	"serverless-plugin-split-stacks":         reshapes,
	"serverless-plugin-log-retention":        reshapes,
}

// checkPlugins refuses plugins that would make the framework's template
// differ from stepform's, and notes plugins it does not know.
func (c *compiler) checkPlugins() {
	for _, p := range c.svc.Plugins {
		switch knownPlugins[p.Name] {
		case localOnly:
		case reshapes:
			c.diags.Errorf(p.Pos, fmt.Sprintf("plugin %s changes what sls package builds", p.Name),
				"stepform does not reproduce %s, so its template would differ from the framework's. Run sls package with the plugin and pass its template: stepform package --base .serverless/cloudformation-template-update-stack.json.", p.Name)
		default:
			c.diags.Warnf(p.Pos, fmt.Sprintf("unknown plugin %s", p.Name),
				"stepform compiles the framework's own resources and the step-functions plugin's. If %s changes the template or the code zips, run sls package with it and pass its template with --base.", p.Name)
		}
	}
}

// checkUnsupported reports what the framework builds with AWS or Docker
// at package time, which stepform cannot do, and what it rejects.
func (c *compiler) checkUnsupported(fns []*schema.Function) {
	base := "run sls package and pass its template with --base .serverless/cloudformation-template-update-stack.json."
	if h := c.svc.Provider.LambdaHashingVersion; h != nil && h.Value == "20200924" {
		c.diags.Errorf(h.Pos, "lambdaHashingVersion 20200924 is not supported",
			"That legacy algorithm hashes the zip bytes Node writes. Remove the setting (the framework's default algorithm is reproduced), or %s", base)
	}
	p := &c.svc.Provider
	c.checkProviderRole()
	c.checkRuntime(p.Runtime, "provider.runtime")
	c.checkRange(p.MemorySize, "provider.memorySize", 128, 10240)
	c.checkRange(p.TimeoutNode, "provider.timeout", 1, 900)
	for _, f := range fns {
		c.checkFunction(f, base)
	}
}

// checkRole reports a role that is neither an ARN or logical ID nor one
// of the intrinsics the framework accepts.
func (c *compiler) checkRole(r *schema.Node, what string) {
	ok := r.Kind == schema.String && r.Value != ""
	if r.Kind == schema.Map && len(r.Pairs) == 1 {
		switch r.Pairs[0].Key {
		case "Fn::GetAtt", "Fn::ImportValue", "Fn::Sub":
			ok = true
		}
	}
	if !ok {
		c.diags.Errorf(r.Pos, what+" is not a role",
			"Give an IAM role ARN (arn:aws:iam::123456789012:role/name), the logical ID of a role in resources:, or Fn::GetAtt, Fn::ImportValue or Fn::Sub. Got %s.", kindOf(r))
	}
}

// iamRoleKeys are the settings of provider.iam.role as an object.
var iamRoleKeys = schema.IAMRoleKeys

// checkProviderRole checks provider.iam.role (an existing role, or the
// settings of the generated one) and the legacy provider.role.
func (c *compiler) checkProviderRole() {
	p := &c.svc.Provider
	if r := p.LegacyRole.Node; r != nil {
		c.checkRole(r, "provider.role")
	}
	r := p.IAMRole.Node
	switch {
	case r == nil:
	case r.Kind == schema.String || existingRole(r):
		c.checkRole(r, "provider.iam.role")
	case r.Kind != schema.Map:
		c.diags.Errorf(r.Pos, "provider.iam.role is not a role", "Give an IAM role ARN or logical ID, Fn::GetAtt, Fn::ImportValue or Fn::Sub, or an object with the generated role's settings (%s). Got %s.",
			strings.Join(iamRoleKeys, ", "), kindOf(r))
	default:
		for _, k := range r.Pairs {
			if k.Key == "Ref" {
				c.strictf(k.KeyPos, "provider.iam.role cannot be a Ref",
					"The framework reads {Ref: ...} as the generated role's settings and ignores it, so functions would get the generated role. For a role in resources:, write Fn::GetAtt: [%s, Arn].", jsText(k.Value))
				continue
			}
			if !contains(iamRoleKeys, k.Key) {
				c.strictf(k.KeyPos, fmt.Sprintf("unknown key %q in provider.iam.role", k.Key),
					"The framework ignores it. The generated role's settings are %s; an existing role is given as an ARN, a logical ID, Fn::GetAtt, Fn::ImportValue or Fn::Sub.%s",
					strings.Join(iamRoleKeys, ", "), diag.DidYouMean(k.Key, iamRoleKeys))
			}
		}
	}
}

// checkRuntime warns about runtimes v3 does not list (it deploys them as
// written).
func (c *compiler) checkRuntime(r *schema.Node, what string) {
	if r == nil {
		return
	}
	if r.Kind != schema.String {
		c.diags.Errorf(r.Pos, what+" must be a string", "Use a Lambda runtime such as nodejs20.x or python3.11.")
	} else if !contains(schema.Runtimes, r.Value) {
		c.diags.Warnf(r.Pos, fmt.Sprintf("runtime %q is not one Serverless Framework v3 knows", r.Value),
			"The framework warns and deploys it as written, and so does stepform. v3 knows: %s.%s",
			strings.Join(schema.Runtimes, ", "), diag.DidYouMean(r.Value, schema.Runtimes))
	}
}

func (c *compiler) checkFunction(f *schema.Function, base string) {
	what := func(key string) string { return fmt.Sprintf("functions.%s.%s", f.Key, key) }
	if img := f.Image; img != nil && f.Handler == nil {
		if uri, digest := imageURI(img); uri == "" || digest == "" {
			c.diags.Errorf(img.Node.Pos, fmt.Sprintf("function %q: image needs a digest", f.Key),
				"Without <uri>@sha256:<digest> the framework asks ECR (or builds with Docker) for it. Give the image as <account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:<digest>, or %s", base)
		}
	}
	if f.Handler != nil && f.Image == nil {
		if _, ok := c.in.Artifacts.Functions[f.Key]; !ok {
			c.diags.Errorf(f.Handler.Pos, fmt.Sprintf("no code artifact for function %q", f.Key),
				"The function's code zip was not built, so its S3 key and hash are unknown. Use stepform package, or %s", base)
		}
	}
	c.checkRuntime(f.Runtime, what("runtime"))
	if id := f.LogicalID(); !logicalID.MatchString(id) {
		c.strictf(f.Pos, fmt.Sprintf("invalid logical ID %q", id),
			"CloudFormation logical IDs are letters and digits only; the function key %q gives %q. Rename the function (its deployed name can stay the same with name:).", f.Key, id)
	}
	if f.Handler != nil && f.HandlerFiles != nil && !f.HandlerFound {
		c.strictf(f.Handler.Pos, fmt.Sprintf("handler file for %q not found", f.Handler.Value),
			"The handler %q is the function %q of %s in the service folder, which does not exist, so Lambda could not load it. Fix the path, or add the file.",
			f.Handler.Value, f.Handler.Value[strings.LastIndex(f.Handler.Value, ".")+1:], strings.Join(f.HandlerFiles, " or "))
	}
	if f.Name != "" && !lambdaName.MatchString(f.Name) {
		pos := f.Pos
		if n := f.NameNode; n != nil {
			pos = n.Pos
		}
		c.strictf(pos, "invalid function name",
			"Lambda function names are letters, digits, hyphens and underscores; %q has other characters, so the deployment would fail. Set name: to a valid name.", f.Name)
	}
	if d := f.Description; d != nil && d.Kind == schema.String && len([]rune(d.Value)) > 256 {
		c.strictf(d.Pos, "function description too long",
			"Lambda descriptions have at most 256 characters; this one has %d, so the deployment would fail. Shorten it.", len([]rune(d.Value)))
	}
	if len(f.Name) > 64 {
		pos := f.Pos
		if n := f.NameNode; n != nil {
			pos = n.Pos
		}
		c.strictf(pos, "function name too long",
			"Lambda function names have at most 64 characters, and the deployed name %q is longer, so the deployment would fail. Set a shorter name:, or shorten the service, stage or function key.", f.Name)
	}
	if r := f.Role.Node; r != nil {
		c.checkRole(r, what("role"))
	}
	if f.ProvisionedConcurrency.Truthy() && f.SnapStart.Truthy() {
		c.diags.Errorf(f.SnapStart.Pos, fmt.Sprintf("function %q has both snapStart and provisionedConcurrency", f.Key),
			"Lambda does not support provisioned concurrency on SnapStart functions. Remove one of them.")
	}
	c.checkRange(f.MemorySize, what("memorySize"), 128, 10240)
	c.checkRange(f.TimeoutNode, what("timeout"), 1, 900)
	c.checkRange(f.EphemeralStorageSize, what("ephemeralStorageSize"), 512, 10240)
	c.checkRange(f.MaximumEventAge, what("maximumEventAge"), 60, 21600)
	c.checkRange(f.MaximumRetryAttempts, what("maximumRetryAttempts"), 0, 2)
}

func (c *compiler) checkRange(n *schema.Node, what string, lo, hi float64) {
	if n == nil || n.IsIntrinsic() {
		return
	}
	if n.Kind != schema.Number || n.Num != float64(int64(n.Num)) || n.Num < lo || n.Num > hi {
		c.strictf(n.Pos, fmt.Sprintf("%s must be a whole number from %g to %g", what, lo, hi), "Got %s.", kindOf(n))
	}
}

func jsText(n *schema.Node) string {
	if n.Kind == schema.String {
		return n.Value
	}
	return "<RoleLogicalId>"
}

func kindOf(n *schema.Node) string {
	switch n.Kind {
	case schema.Map:
		return "an object"
	case schema.List:
		return "a list"
	case schema.Null:
		return "null"
	}
	return fmt.Sprintf("%s %q", n.Kind, n.Value)
}

var logicalID = lazyre.New(`^[A-Za-z0-9]{1,255}$`)

// lambdaName is the character set of Lambda function names.
var lambdaName = lazyre.New(`^[A-Za-z0-9_-]+$`)

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
