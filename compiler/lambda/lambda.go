// Package lambda compiles the Serverless Framework's own half of a
// service, the part `sls package` (v3.40.0) writes before any plugin runs:
// the deployment bucket and its policy, one log group, function, version,
// alias, URL and async-invoke configuration per function, the default
// execution role, and the outputs that go with them.
//
// Compile returns that template as plain values; the step-functions
// compiler then merges into it as it would into a --base template.
package lambda

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stepform/stepform/compiler/artifact"
	"github.com/stepform/stepform/compiler/mode"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// Input is what Compile needs.
type Input struct {
	Service *schema.Service
	// Quirks are the mode's behaviours (nil for the default mode): in
	// plugin mode findings on input the framework accepts are warnings,
	// and the framework's quirks are kept (docs/differences.md, F1-F7).
	Quirks *mode.Quirks
	// Artifacts are the code zips, by function key.
	Artifacts artifact.Set
	// Diags receives every finding.
	Diags *diag.List
}

// Description is the framework's template description.
const Description = "The AWS CloudFormation template for this Serverless application"

// RoleID is the logical ID of the framework's default execution role.
const RoleID = "IamRoleLambdaExecution"

type compiler struct {
	// layerKeys maps a local layer's logical ID to its key under layers:.
	layerKeys map[string]string
	in        Input
	svc       *schema.Service
	diags     *diag.List
	res       map[string]any
	out       map[string]any
	// role is the default role's policy statements while it is built; nil
	// when the service has no default role.
	role *roleBuilder
	// fns are the compiled functions, in source order.
	fns []*function
}

// function is one function while it compiles.
type function struct {
	f     *schema.Function
	id    string // <F>LambdaFunction
	norm  string // <F>
	props map[string]any
	res   map[string]any
	// alias is the provisioned-concurrency or SnapStart alias, if any.
	aliasName, aliasID string
	// deferred is true when the framework awaits before the version and
	// event-invoke steps (hashing), so they run after every function's
	// synchronous part.
	deferred bool
	// owned and outputs are the other resources and outputs made for the
	// function, which share its condition in the default mode.
	owned, outputs []string
}

// Template is the framework's template after its functions compiled and
// before its events do: event compilers add resources and role
// statements to it, then Finish returns it.
type Template struct {
	c            *compiler
	errorsBefore int
}

// Build compiles the functions, their role, versions and the deployment
// bucket.
func Build(in Input) *Template {
	if in.Quirks == nil {
		in.Quirks = mode.Default.Quirks()
	}
	c := &compiler{in: in, svc: in.Service, diags: in.Diags, res: map[string]any{}, out: map[string]any{}}
	var fns []*schema.Function
	for _, f := range c.svc.Functions {
		if f.Config != nil {
			fns = append(fns, f)
		}
	}
	t := &Template{c: c, errorsBefore: c.errorCount()}
	c.checkPlugins()
	c.checkUnsupported(fns)
	c.deploymentBucket()
	for _, f := range fns {
		c.logGroup(f)
	}
	c.defaultRole(fns)
	c.layers()
	for _, f := range fns {
		c.fns = append(c.fns, newFunction(f))
	}
	// The framework compiles functions concurrently: the part before its
	// first await (all of it for unversioned zip functions) runs in
	// function order, the rest once hashing finishes.
	for _, fn := range c.fns {
		c.function(fn)
		if !fn.deferred {
			c.afterHash(fn)
		}
	}
	for _, fn := range c.fns {
		if fn.deferred {
			c.afterHash(fn)
		}
	}
	return t
}

// Finish returns the template, or nil when errors were found.
func (t *Template) Finish() map[string]any {
	c := t.c
	if c.role != nil {
		c.res[RoleID] = c.role.resource()
	}
	if !c.in.Quirks.ConditionOnFunctionOnly {
		c.shareConditions()
	}
	if c.errorCount() > t.errorsBefore {
		return nil
	}
	svcName, stage := c.svc.Name, c.svc.Stage
	for key, o := range c.out {
		o.(map[string]any)["Export"] = map[string]any{"Name": fmt.Sprintf("sls-%s-%s-%s", svcName, stage, key)}
	}
	return map[string]any{
		"AWSTemplateFormatVersion": "2010-09-09",
		"Description":              Description,
		"Resources":                c.res,
		"Outputs":                  c.out,
	}
}

// Resources are the template's resources so far, by logical ID.
func (t *Template) Resources() map[string]any { return t.c.res }

// AddOutput adds an output to the template; Finish gives it the
// framework's export name.
func (t *Template) AddOutput(key string, o map[string]any) { t.c.out[key] = o }

// HasDefaultRole says whether IamRoleLambdaExecution is created; event
// statements go there only then.
func (t *Template) HasDefaultRole() bool { return t.c.role != nil }

// AddRoleStatement appends a statement to IamRoleLambdaExecution's
// policy, when the role is created.
func (t *Template) AddRoleStatement(s any) {
	if t.c.role != nil {
		t.c.role.push(s)
	}
}

// AddRoleTrustService adds a service principal to the role's trust
// policy (after lambda.amazonaws.com).
func (t *Template) AddRoleTrustService(service string) {
	if t.c.role == nil {
		return
	}
	st := t.c.role.props["AssumeRolePolicyDocument"].(map[string]any)["Statement"].([]any)[0].(map[string]any)
	p := st["Principal"].(map[string]any)
	p["Service"] = append(p["Service"].([]any), service)
}

// CustomResourcesCode is the Code of the framework's custom resource
// functions: custom-resources.zip in the deployment bucket. ok is false
// when the artifacts hold no such zip.
func (t *Template) CustomResourcesCode() (code map[string]any, ok bool) {
	art := t.c.in.Artifacts.CustomResources
	if art.Name == "" {
		return nil, false
	}
	var bucket any = ref("ServerlessDeploymentBucket")
	if name := t.c.bucketName(); name != "" {
		bucket = name
	}
	return map[string]any{"S3Bucket": bucket, "S3Key": art.S3Key()}, true
}

// Own records that the resource id belongs to the function with the key
// alone: in default mode it then shares the function's condition.
func (t *Template) Own(key, id string) {
	for _, fn := range t.c.fns {
		if fn.f.Key == key {
			fn.owned = append(fn.owned, id)
		}
	}
}

// Function is what events need to know of a compiled function.
type Function struct {
	*schema.Function
	// LogicalID is <F>LambdaFunction.
	LogicalID string
	// AliasID is the logical ID of the alias events target, or "";
	// AliasName is its name.
	AliasID, AliasName string
	// Target is what invokes the function: its ARN, or its alias's.
	Target any
	// Role is the function's Role property.
	Role any
	// RoleResource is the framework's resolveFunctionIamRoleResourceName:
	// the template resource the function's role is, or "".
	RoleResource string
}

// Functions are the compiled functions, in source order.
func (t *Template) Functions() []Function {
	var out []Function
	for _, fn := range t.c.fns {
		out = append(out, Function{Function: fn.f, LogicalID: fn.id, AliasID: fn.aliasID, AliasName: fn.aliasName, Target: fn.target(),
			Role: fn.props["Role"], RoleResource: t.c.roleResource(fn.f)})
	}
	return out
}

// roleResource is resolveFunctionIamRoleResourceName.
func (c *compiler) roleResource(f *schema.Function) string {
	ref := c.customRole(f)
	switch role := ref.Node; {
	case role == nil:
		return RoleID
	case role.Kind == schema.String:
		if strings.Contains(role.Value, ":") {
			return ""
		}
		return role.Value
	case role.Kind == schema.Map:
		if ga := ref.GetAtt; ga != nil && ga.Kind == schema.List && len(ga.Items) == 2 &&
			ga.Items[0].Kind == schema.String && ga.Items[1].Kind == schema.String && ga.Items[1].Value == "Arn" {
			return ga.Items[0].Value
		}
		if ref.ImportValue.Truthy() || ref.Ref.Truthy() || ref.Sub.Truthy() {
			return ""
		}
	}
	return RoleID
}

func (c *compiler) errorCount() int {
	n := 0
	for _, d := range *c.diags {
		if d.Severity == diag.Error {
			n++
		}
	}
	return n
}

// strictf is an error in default mode and a warning in plugin mode: for
// input the framework packages but AWS would reject.
func (c *compiler) strictf(pos diag.Pos, summary, detail string, args ...any) {
	if c.in.Quirks.Lenient {
		c.diags.Warnf(pos, summary, detail, args...)
	} else {
		c.diags.Errorf(pos, summary, detail, args...)
	}
}

// bucketName is the configured deployment bucket's name, or "".
func (c *compiler) bucketName() string {
	b := c.svc.Provider.DeploymentBucket
	if b.Node == nil {
		return ""
	}
	if b.Node.Kind == schema.String {
		return b.Node.Value
	}
	if n := b.Name; n != nil && n.Kind == schema.String {
		return n.Value
	}
	return ""
}

// deploymentBucket is the core template's bucket, its policy and output,
// or the configured bucket.
func (c *compiler) deploymentBucket() {
	if name := c.bucketName(); name != "" {
		c.out["ServerlessDeploymentBucketName"] = map[string]any{"Value": name}
		return
	}
	core := CoreTemplate(c.svc)
	for id, r := range core["Resources"].(map[string]any) {
		c.res[id] = r
	}
	for id, o := range core["Outputs"].(map[string]any) {
		c.out[id] = o
	}
}

// CoreTemplate is the framework's core template: the stack `sls deploy`
// creates first (the deployment bucket, its policy and its name as an
// output), after provider.deploymentBucket's settings. It is nil when the
// bucket is given by name, where the framework makes none. Every call
// returns fresh values.
func CoreTemplate(svc *schema.Service) map[string]any {
	b := svc.Provider.DeploymentBucket
	if b.Node != nil && (b.Node.Kind == schema.String && b.Node.Value != "" || b.Name.Truthy()) {
		return nil
	}
	props := map[string]any{"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{
		map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}}}
	if tags := b.Tags; tags != nil && tags.Kind == schema.Map && len(tags.Pairs) > 0 {
		props["Tags"] = tagList(tags)
	}
	if b.BlockPublicAccess.Truthy() {
		props["PublicAccessBlockConfiguration"] = map[string]any{
			"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}
	}
	if b.Versioning.Truthy() {
		props["VersioningConfiguration"] = map[string]any{"Status": "Enabled"}
	}
	res := map[string]any{"ServerlessDeploymentBucket": map[string]any{"Type": "AWS::S3::Bucket", "Properties": props}}
	if !b.SkipPolicySetup.Truthy() {
		arn := func(suffix ...any) any {
			return map[string]any{"Fn::Join": []any{"", append([]any{"arn:", ref("AWS::Partition"), ":s3:::", ref("ServerlessDeploymentBucket")}, suffix...)}}
		}
		res["ServerlessDeploymentBucketPolicy"] = map[string]any{"Type": "AWS::S3::BucketPolicy", "Properties": map[string]any{
			"Bucket": ref("ServerlessDeploymentBucket"),
			"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
				"Action": "s3:*", "Effect": "Deny", "Principal": "*",
				"Resource":  []any{arn("/*"), arn()},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": false}},
			}}},
		}}
	}
	return map[string]any{
		"AWSTemplateFormatVersion": "2010-09-09",
		"Description":              Description,
		"Resources":                res,
		"Outputs":                  map[string]any{"ServerlessDeploymentBucketName": map[string]any{"Value": ref("ServerlessDeploymentBucket")}},
	}
}

func ref(id string) map[string]any { return map[string]any{"Ref": id} }

func getAtt(id, attr string) map[string]any {
	return map[string]any{"Fn::GetAtt": []any{id, attr}}
}

// tagList is Object.entries(tags) as [{Key, Value}], values as strings.
func tagList(tags *schema.Node) []any {
	var out []any
	for _, p := range jsOrder(tags.Pairs) {
		out = append(out, map[string]any{"Key": p.Key, "Value": value(stringValue(p.Value))})
	}
	return out
}

func stringValue(n *schema.Node) *schema.Node {
	if n != nil && (n.Kind == schema.Number || n.Kind == schema.Bool) {
		return schema.NewString(n.Value, n.Pos)
	}
	return n
}

// jsOrder is the order JavaScript enumerates an object's keys in:
// array-index keys first, ascending, then the rest as inserted.
func jsOrder(pairs []schema.Pair) []schema.Pair {
	return schema.JSOrderedPairs(&schema.Node{Kind: schema.Map, Pairs: pairs})
}

// assign is Object.assign({}, a, b) over Map nodes: b's values replace
// a's in place, new keys come after.
func assign(a, b *schema.Node) []schema.Pair {
	var out []schema.Pair
	index := map[string]int{}
	for _, n := range []*schema.Node{a, b} {
		if n == nil || n.Kind != schema.Map {
			continue
		}
		for _, p := range n.Pairs {
			if i, ok := index[p.Key]; ok {
				out[i].Value = p.Value
				continue
			}
			index[p.Key] = len(out)
			out = append(out, p)
		}
	}
	return jsOrder(out)
}

// logGroup is <F>LogGroup, unless the function disables its logs.
func (c *compiler) logGroup(f *schema.Function) {
	if f.DisableLogs {
		return
	}
	props := map[string]any{"LogGroupName": "/aws/lambda/" + f.Name}
	if r := firstTruthy(f.LogRetentionInDays, c.svc.Provider.LogRetentionInDays); r != nil {
		props["RetentionInDays"] = value(r)
	}
	if p := firstTruthy(f.LogDataProtectionPolicy, c.svc.Provider.LogDataProtectionPolicy); p != nil {
		props["DataProtectionPolicy"] = value(p)
	}
	c.res[schema.NormalizeName(f.Key)+"LogGroup"] = map[string]any{"Type": "AWS::Logs::LogGroup", "Properties": props}
}

func firstTruthy(ns ...*schema.Node) *schema.Node {
	for _, n := range ns {
		if n.Truthy() {
			return n
		}
	}
	return nil
}

// customRole is the framework's getCustomExecutionRole: the function's
// role, else provider.iam.role when it names an existing role, else the
// legacy provider.role.
func (c *compiler) customRole(f *schema.Function) schema.RoleRef {
	if f.Role.Node.Truthy() {
		return f.Role
	}
	if r := c.svc.Provider.IAMRole; existingRole(r.Node) {
		return r.RoleRef
	}
	return c.svc.Provider.LegacyRole
}

// existingRole is isExistingRoleProvided: a string, or an object with an
// intrinsic-function key.
func existingRole(r *schema.Node) bool {
	if r == nil {
		return false
	}
	if r.Kind == schema.String {
		return true
	}
	for _, p := range r.Pairs {
		if strings.Contains(p.Key, "::") {
			return true
		}
	}
	return false
}

// newFunction names a function's resources. Its alias is known up front
// (the framework records it only after hashing; see destinationArn).
func newFunction(f *schema.Function) *function {
	fn := &function{f: f, norm: schema.NormalizeName(f.Key), props: map[string]any{}}
	fn.id = fn.norm + "LambdaFunction"
	fn.res = map[string]any{"Type": "AWS::Lambda::Function", "Properties": fn.props}
	if f.ProvisionedConcurrency.Truthy() {
		fn.aliasID, fn.aliasName = fn.norm+"ProvConcLambdaAlias", "provisioned"
	} else if f.SnapStart.Truthy() {
		fn.aliasID, fn.aliasName = fn.norm+"SnapStartLambdaAlias", "snapstart"
	}
	return fn
}

// function compiles <F>LambdaFunction up to the framework's first await.
func (c *compiler) function(fn *function) {
	p := &c.svc.Provider
	f := fn.f
	props := fn.props
	var deps []any

	if f.Image != nil {
		uri, _ := imageURI(f.Image)
		props["Code"] = map[string]any{"ImageUri": uri}
		if f.Image.Node.Kind == schema.Map {
			cfg := map[string]any{}
			for _, k := range []struct {
				v    *schema.Node
				prop string
			}{{f.Image.Command, "Command"}, {f.Image.EntryPoint, "EntryPoint"}, {f.Image.WorkingDirectory, "WorkingDirectory"}} {
				if k.v.Truthy() {
					cfg[k.prop] = value(k.v)
				}
			}
			if len(cfg) > 0 {
				props["ImageConfig"] = cfg
			}
		}
		props["PackageType"] = "Image"
		fn.deferred = true
	} else {
		art := c.in.Artifacts.Functions[f.Key]
		var bucket any = ref("ServerlessDeploymentBucket")
		if name := c.bucketName(); name != "" {
			bucket = name
		}
		props["Code"] = map[string]any{"S3Bucket": bucket, "S3Key": art.S3Key()}
		if mode, arn := c.runtimeManagement(f); mode != "" {
			cfg := map[string]any{"UpdateRuntimeOn": mode}
			if mode == "Manual" {
				cfg["RuntimeVersionArn"] = arn
			}
			props["RuntimeManagementConfig"] = cfg
		}
		props["Handler"] = value(f.Handler)
		props["Runtime"] = c.runtime(f)
	}
	props["FunctionName"] = f.Name
	props["MemorySize"] = orDefault(firstTruthy(f.MemorySize, p.MemorySize), "1024")
	props["Timeout"] = orDefault(firstTruthy(f.TimeoutNode, p.TimeoutNode), "6")
	if a := firstTruthy(f.Architecture, p.Architecture); a != nil {
		props["Architectures"] = []any{value(a)}
	}
	if f.Description.Truthy() {
		props["Description"] = value(f.Description)
	}
	if f.Condition != nil {
		fn.res["Condition"] = value(f.Condition)
	}
	if f.DependsOn != nil {
		deps = append(deps, flatten(value(f.DependsOn))...)
	}
	if f.FunctionTags != nil || c.svc.Provider.Tags != nil {
		tags := []any{}
		for _, t := range assign(c.svc.Provider.Tags, f.FunctionTags) {
			tags = append(tags, map[string]any{"Key": t.Key, "Value": value(stringValue(t.Value))})
		}
		props["Tags"] = tags
	}
	if f.EphemeralStorageSize.Truthy() {
		props["EphemeralStorage"] = map[string]any{"Size": value(f.EphemeralStorageSize)}
	}
	if f.OnError.Truthy() {
		props["DeadLetterConfig"] = map[string]any{"TargetArn": value(f.OnError)}
		if f.OnError.Kind == schema.String && c.role != nil {
			c.role.push(stmt("sns:Publish", f.OnError.Value))
		}
	}
	if k := firstTruthy(f.KmsKeyArn, p.KmsKeyArn); k != nil {
		props["KmsKeyArn"] = value(k)
		if k.Kind == schema.String && c.role != nil {
			c.role.union(stmt("kms:Decrypt", k.Value))
		}
	}
	if t := firstTruthy(f.Tracing, p.Tracing); t != nil {
		mode := value(t)
		if t.Kind == schema.Bool {
			mode = "Active"
		}
		props["TracingConfig"] = map[string]any{"Mode": mode}
		if c.role != nil {
			c.role.union(map[string]any{"Effect": "Allow", "Action": []any{"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, "Resource": []any{"*"}})
		}
	}
	if f.Environment != nil || p.Environment != nil {
		vars := map[string]any{}
		for _, e := range assign(p.Environment, f.Environment) {
			vars[e.Key] = value(e.Value)
		}
		props["Environment"] = map[string]any{"Variables": vars}
	}
	ref := c.customRole(f)
	switch role := ref.Node; {
	case role == nil:
		props["Role"] = getAtt(RoleID, "Arn")
	case role.Kind == schema.String && strings.HasPrefix(role.Value, "arn:"):
		props["Role"] = role.Value
	case role.Kind == schema.String:
		props["Role"] = getAtt(role.Value, "Arn")
		if role.Value != RoleID {
			deps = append(deps, role.Value)
		}
	case ref.GetAtt != nil:
		props["Role"] = value(role)
		switch ga := ref.GetAtt; {
		case ga.Kind == schema.List && len(ga.Items) > 0:
			deps = append(deps, value(ga.Items[0]))
		case ga.Kind == schema.String && c.in.Quirks.FunctionRoleGetAttAsOneName:
			// The framework's schema coercion wraps the string form in a
			// list: ["Role.Arn"], which the function also depends on.
			props["Role"] = map[string]any{"Fn::GetAtt": []any{ga.Value}}
			deps = append(deps, ga.Value)
		case ga.Kind == schema.String:
			id, attr, _ := strings.Cut(ga.Value, ".")
			props["Role"] = getAtt(id, attr)
			deps = append(deps, id)
		}
	default:
		props["Role"] = value(role)
	}
	if !(f.VPCPresent && (f.VPC == nil || f.VPC.Kind == schema.Null || (f.VPC.Kind == schema.Bool && f.VPC.Value == "false"))) {
		sg := firstTruthy(f.VPCConfig.SecurityGroupIDs, p.VPCConfig.SecurityGroupIDs)
		sn := firstTruthy(f.VPCConfig.SubnetIDs, p.VPCConfig.SubnetIDs)
		if sg != nil && sn != nil {
			props["VpcConfig"] = map[string]any{"SecurityGroupIds": value(sg), "SubnetIds": value(sn)}
		}
	}
	if fs := f.FileSystemConfig; fs.Node.Truthy() {
		if props["VpcConfig"] == nil {
			c.diags.Errorf(fs.Node.Pos, fmt.Sprintf("function %q: fileSystemConfig needs a VPC", f.Key),
				"A Lambda function reaches EFS only from inside a VPC. Add vpc: {securityGroupIds, subnetIds} to the function or the provider.")
		}
		arn := value(fs.ARN)
		if c.role != nil {
			c.role.push(map[string]any{"Effect": "Allow", "Action": []any{"elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"}, "Resource": []any{arn}})
		}
		props["FileSystemConfigs"] = []any{map[string]any{"Arn": arn, "LocalMountPath": value(fs.LocalMountPath)}}
	}
	if rc := f.ReservedConcurrency; rc != nil && (rc.Truthy() || rc.Kind == schema.Number) {
		props["ReservedConcurrentExecutions"] = value(rc)
	}
	if !f.DisableLogs {
		deps = append([]any{fn.norm + "LogGroup"}, deps...)
	}
	if len(deps) > 0 {
		fn.res["DependsOn"] = deps
	}
	if f.Layers.Truthy() {
		props["Layers"] = value(f.Layers)
	} else if p.Layers.Truthy() {
		props["Layers"] = value(p.Layers)
	}
	c.res[fn.id] = fn.res
	if c.versioned(f) {
		fn.deferred = true
	}
}

func orDefault(n *schema.Node, def string) any {
	if n == nil {
		return json.Number(def)
	}
	return value(n)
}

func flatten(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

func stmt(action string, resource any) map[string]any {
	return map[string]any{"Effect": "Allow", "Action": []any{action}, "Resource": []any{resource}}
}

// runtime is the function's runtime: its own, the provider's, or the
// framework's default.
func (c *compiler) runtime(f *schema.Function) any {
	if f.Runtime.Truthy() {
		return value(f.Runtime)
	}
	if c.svc.Provider.Runtime.Truthy() {
		return value(c.svc.Provider.Runtime)
	}
	return schema.DefaultRuntime
}

var runtimeModes = map[string]string{"auto": "", "onFunctionUpdate": "FunctionUpdate", "manual": "Manual"}

// runtimeManagement resolves provider then function runtimeManagement
// into the UpdateRuntimeOn value ("" for auto) and the manual ARN.
func (c *compiler) runtimeManagement(f *schema.Function) (string, any) {
	mode := "auto"
	var arn any
	for _, rm := range []schema.RuntimeManagementSettings{c.svc.Provider.RuntimeManagement, f.RuntimeManagement} {
		switch n := rm.Node; {
		case n == nil:
		case n.Kind == schema.String:
			mode = n.Value
		case n.Kind == schema.Map:
			if m := rm.Mode; m != nil && m.Kind == schema.String {
				mode = m.Value
			}
			if a := rm.ARN; a != nil {
				arn = value(a)
			}
		}
	}
	return runtimeModes[mode], arn
}

// versioned says whether the function gets an AWS::Lambda::Version.
func (c *compiler) versioned(f *schema.Function) bool {
	return c.shouldVersion(f) || f.ProvisionedConcurrency.Truthy() || f.SnapStart.Truthy()
}

func (c *compiler) shouldVersion(f *schema.Function) bool {
	if f.VersionFunction != nil {
		return f.VersionFunction.Truthy()
	}
	return c.svc.Provider.VersionFunctions
}

// imageURI returns the image URI and its sha256 digest (hex) for an image
// given by digest.
func imageURI(img *schema.ImageSettings) (string, string) {
	uri := ""
	if img.Node.Kind == schema.String {
		uri = img.Node.Value
	} else if u := img.URI; u != nil && u.Kind == schema.String {
		uri = u.Value
	}
	_, digest, ok := strings.Cut(uri, "@")
	if !ok {
		return uri, ""
	}
	return uri, strings.TrimPrefix(digest, "sha256:")
}

// afterHash is the part of compileFunction after hashing: the version,
// its output and alias, the function URL and the event-invoke config.
func (c *compiler) afterHash(fn *function) {
	f := fn.f
	if c.versioned(f) {
		c.version(fn)
	}
	c.functionURL(fn)
	c.eventInvokeConfig(fn)
}

// version is <F>LambdaVersion<hash>, named after a hash of the code and
// the configuration so that any change publishes a new version.
func (c *compiler) version(fn *function) {
	f := fn.f
	h := sha256.New()
	var codeSha string
	if f.Image != nil {
		_, codeSha = imageURI(f.Image)
	} else {
		codeSha = c.in.Artifacts.Functions[f.Key].CodeSha256
		h.Write([]byte(codeSha))
	}
	hashed := map[string]any{}
	for k, v := range fn.props {
		hashed[k] = v
	}
	if f.Image == nil {
		delete(hashed, "Code")
	}
	delete(hashed, "ReservedConcurrentExecutions")
	delete(hashed, "Tags")
	configs, layerHashes := c.layerConfigurations(fn.props)
	for _, lh := range layerHashes {
		h.Write([]byte(lh))
	}
	hashed["layerConfigurations"] = configs
	h.Write([]byte(sortedJSON(hashed)))
	digest := base64.StdEncoding.EncodeToString(h.Sum(nil))
	versionID := fn.norm + "LambdaVersion" + nonAlnum.ReplaceAllString(digest, "")

	versionProps := map[string]any{"FunctionName": ref(fn.id), "CodeSha256": codeSha}
	if f.Description.Truthy() {
		versionProps["Description"] = value(f.Description)
	}
	version := map[string]any{"Type": "AWS::Lambda::Version", "DeletionPolicy": "Retain", "Properties": versionProps}
	c.res[versionID] = version
	c.out[fn.id+"QualifiedArn"] = map[string]any{"Description": "Current Lambda function version", "Value": ref(versionID)}
	fn.owned = append(fn.owned, versionID)
	fn.outputs = append(fn.outputs, fn.id+"QualifiedArn")

	alias := func(id, name string, extra map[string]any) {
		if !c.shouldVersion(f) {
			delete(version, "DeletionPolicy")
		}
		props := map[string]any{"FunctionName": ref(fn.id), "FunctionVersion": getAtt(versionID, "Version"), "Name": name}
		for k, v := range extra {
			props[k] = v
		}
		c.res[id] = map[string]any{"Type": "AWS::Lambda::Alias", "Properties": props, "DependsOn": fn.id}
		fn.owned = append(fn.owned, id)
	}
	if pc := f.ProvisionedConcurrency; pc.Truthy() {
		alias(fn.norm+"ProvConcLambdaAlias", "provisioned", map[string]any{
			"ProvisionedConcurrencyConfig": map[string]any{"ProvisionedConcurrentExecutions": value(pc)}})
	}
	if f.SnapStart.Truthy() {
		// Added after the hash: SnapStart does not name the version.
		fn.props["SnapStart"] = map[string]any{"ApplyOn": "PublishedVersions"}
		alias(fn.norm+"SnapStartLambdaAlias", "snapstart", nil)
	}
}

var nonAlnum = lazyre.New(`[^0-9A-Za-z]`)

// target is what invokes the function: its ARN, or its alias's.
func (fn *function) target() any {
	arn := getAtt(fn.id, "Arn")
	if fn.aliasName == "" {
		return arn
	}
	return map[string]any{"Fn::Join": []any{":", []any{arn, fn.aliasName}}}
}

func (fn *function) dependOnAlias(r map[string]any) {
	if fn.aliasID != "" {
		r["DependsOn"] = fn.aliasID
	}
}

var defaultURLHeaders = []any{"Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token", "X-Amzn-Trace-Id"}

// functionURL is <F>LambdaFunctionUrl, its output, and the public invoke
// permission when it has no auth.
func (c *compiler) functionURL(fn *function) {
	url := fn.f.URL
	if !url.Node.Truthy() {
		return
	}
	auth := "NONE"
	if a := url.Authorizer; a != nil && a.Value == "aws_iam" {
		auth = "AWS_IAM"
	}
	props := map[string]any{"AuthType": auth, "TargetFunctionArn": fn.target()}
	if cors := url.CORS; cors.Node.Truthy() {
		cfg := map[string]any{}
		list := func(v *schema.Node, prop string, def []any) {
			switch {
			case v.Truthy():
				cfg[prop] = uniq(value(v))
			case v != nil && v.Kind == schema.Null:
			case def != nil:
				cfg[prop] = def
			}
		}
		if cors.AllowCredentials.Truthy() {
			cfg["AllowCredentials"] = true
		}
		list(cors.AllowedHeaders, "AllowHeaders", defaultURLHeaders)
		list(cors.AllowedMethods, "AllowMethods", []any{"*"})
		list(cors.AllowedOrigins, "AllowOrigins", []any{"*"})
		list(cors.ExposedResponseHeaders, "ExposeHeaders", nil)
		if m := cors.MaxAge; m != nil && m.Kind != schema.Null {
			cfg["MaxAge"] = value(m)
		}
		props["Cors"] = cfg
	}
	if m := url.InvokeMode; m != nil && m.Value == "RESPONSE_STREAM" {
		props["InvokeMode"] = "RESPONSE_STREAM"
	}
	urlID := fn.id + "Url"
	r := map[string]any{"Type": "AWS::Lambda::Url", "Properties": props}
	fn.dependOnAlias(r)
	c.res[urlID] = r
	c.out[urlID] = map[string]any{"Description": "Lambda Function URL", "Value": getAtt(urlID, "FunctionUrl")}
	fn.owned = append(fn.owned, urlID)
	fn.outputs = append(fn.outputs, urlID)
	if auth == "NONE" {
		perm := map[string]any{"Type": "AWS::Lambda::Permission", "Properties": map[string]any{
			"FunctionName": fn.target(), "Action": "lambda:InvokeFunctionUrl", "Principal": "*", "FunctionUrlAuthType": "NONE"}}
		fn.dependOnAlias(perm)
		c.res[fn.norm+"LambdaPermissionFnUrl"] = perm
		fn.owned = append(fn.owned, fn.norm+"LambdaPermissionFnUrl")
	}
}

func uniq(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	var out []any
	for _, e := range l {
		dup := false
		for _, o := range out {
			if o == e {
				dup = true
			}
		}
		if !dup {
			out = append(out, e)
		}
	}
	return out
}

// eventInvokeConfig is <F>LambdaEvConf: destinations and async retries.
func (c *compiler) eventInvokeConfig(fn *function) {
	f := fn.f
	dest := f.Destinations
	if dest == nil && !f.MaximumEventAge.Truthy() && f.MaximumRetryAttempts == nil {
		return
	}
	cfg := map[string]any{}
	external := c.customRole(f).Node != nil
	var destinations []schema.Destination
	if dest != nil {
		destinations = []schema.Destination{dest.OnSuccess, dest.OnFailure}
	}
	for i, d := range destinations {
		if !d.Node.Truthy() {
			continue
		}
		cfg[[]string{"OnSuccess", "OnFailure"}[i]] = map[string]any{"Destination": c.destinationArn(fn, d)}
		if !external {
			c.destinationPermission(d)
		}
	}
	qualifier := "$LATEST"
	if fn.aliasName != "" {
		qualifier = fn.aliasName
	}
	props := map[string]any{"FunctionName": ref(fn.id), "DestinationConfig": cfg, "Qualifier": qualifier}
	if f.MaximumEventAge.Truthy() {
		props["MaximumEventAgeInSeconds"] = value(f.MaximumEventAge)
	}
	if f.MaximumRetryAttempts != nil {
		props["MaximumRetryAttempts"] = value(f.MaximumRetryAttempts)
	}
	r := map[string]any{"Type": "AWS::Lambda::EventInvokeConfig", "Properties": props}
	fn.dependOnAlias(r)
	c.res[fn.norm+"LambdaEvConf"] = r
	fn.owned = append(fn.owned, fn.norm+"LambdaEvConf")
}

func (c *compiler) localFunction(key string) *function {
	for _, fn := range c.fns {
		if fn.f.Key == key {
			return fn
		}
	}
	return nil
}

// destinationArn is a destination as the template names it.
func (c *compiler) destinationArn(from *function, dest schema.Destination) any {
	d := dest.Node
	if d.Kind == schema.Map {
		return value(dest.ARN)
	}
	if strings.HasPrefix(d.Value, "arn:") {
		return d.Value
	}
	target := c.localFunction(d.Value)
	if target == nil {
		c.diags.Errorf(d.Pos, fmt.Sprintf("destination %q is not a function of this service", d.Value),
			"A destination is an ARN (Lambda, SQS, SNS or EventBridge bus), {arn, type}, or the key of a function under functions:.%s",
			diag.DidYouMean(d.Value, c.functionKeys()))
		return d.Value
	}
	if target.aliasName != "" && c.in.Quirks.DestinationAliasByOrder && !c.aliasKnown(from, target) {
		// The framework records an alias only when that function's hash
		// is done; in plugin mode stepform takes the order it mostly
		// shows: functions before this one are done.
		return getAtt(target.id, "Arn")
	}
	return target.target()
}

func (c *compiler) aliasKnown(from, target *function) bool {
	if !from.deferred {
		return false // its destinations compile before any hashing ends
	}
	for _, fn := range c.fns {
		if fn == target {
			return true
		}
		if fn == from {
			return false
		}
	}
	return false
}

func (c *compiler) functionKeys() []string {
	var keys []string
	for _, fn := range c.fns {
		keys = append(keys, fn.f.Key)
	}
	return keys
}

// destinationPermission is ensureTargetExecutionPermission: the default
// role may send to each distinct destination.
func (c *compiler) destinationPermission(dest schema.Destination) {
	if c.role == nil {
		return
	}
	d := dest.Node
	var action string
	var resource any
	if d.Kind == schema.Map {
		switch value(dest.Type) {
		case "function":
			action = "lambda:InvokeFunction"
		case "sqs":
			action = "sqs:SendMessage"
		case "sns":
			action = "sns:Publish"
		case "eventBus":
			action = "events:PutEvents"
		}
		resource = value(dest.ARN)
	} else {
		s := d.Value
		switch {
		case !strings.HasPrefix(s, "arn:") || strings.Contains(s, ":function:"):
			action = "lambda:InvokeFunction"
		case strings.Contains(s, ":sqs:"):
			action = "sqs:SendMessage"
		case strings.Contains(s, ":sns:"):
			action = "sns:Publish"
		case strings.Contains(s, ":event-bus/"):
			action = "events:PutEvents"
		}
		if c.role.seenDestinations[s] {
			return
		}
		c.role.seenDestinations[s] = true
		resource = s
		if !strings.HasPrefix(s, "arn:") {
			name := s
			if t := c.localFunction(s); t != nil {
				name = t.f.Name
				if t.aliasName != "" && !c.in.Quirks.DestinationAliasByOrder {
					// The destination is the alias (destinationArn), and
					// an unqualified ARN does not cover it.
					name += ":" + t.aliasName
				}
			}
			resource = map[string]any{"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:" + name}
		}
	}
	if action == "" {
		c.diags.Errorf(d.Pos, "unsupported destination", "A destination is a Lambda function, an SQS queue, an SNS topic or an EventBridge bus; give its ARN or {arn, type}.")
		return
	}
	c.role.push(map[string]any{"Effect": "Allow", "Action": action, "Resource": resource})
}

// shareConditions gives a conditional function's log group, version,
// aliases, URL, permissions, event-invoke config and outputs its
// condition, as osls does: v3 puts it on the function alone, so when the
// condition is false those resources point at a function that does not
// exist and the deployment fails.
func (c *compiler) shareConditions() {
	for _, fn := range c.fns {
		cond := fn.f.Condition
		if cond == nil {
			continue
		}
		for _, id := range append([]string{fn.norm + "LogGroup"}, fn.owned...) {
			if r, ok := c.res[id].(map[string]any); ok {
				r["Condition"] = value(cond)
			}
		}
		for _, id := range fn.outputs {
			if o, ok := c.out[id].(map[string]any); ok {
				o["Condition"] = value(cond)
			}
		}
	}
}
