package events

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// customResource is one of the framework's custom resources: a Lambda
// function from custom-resources.zip that does at deploy time what
// CloudFormation (once) could not (custom-resources/index.js).
type customResource struct {
	// name is the function's name after <service>-<stage>-, and names
	// its logical IDs.
	name    string
	handler string
	// setting says what uses it, for the runtime warning.
	setting string
	// order is the position of the framework plugin that adds it
	// (lib/plugins/index.js: s3, api-gateway, ..., event-bridge), which
	// orders the role's statements.
	order int
}

var (
	existingS3CustomResource      = customResource{"custom-resource-existing-s3", "s3/handler.handler", "an s3 event with existing: true", 0}
	apiGatewayRoleResource        = customResource{"custom-resource-apigw-cw-role", "api-gateway-cloud-watch-role/handler.handler", "provider.logs.restApi", 1}
	existingCognitoCustomResource = customResource{"custom-resource-existing-cup", "cognito-user-pool/handler.handler", "a cognitoUserPool event with existing: true", 2}
	eventBridgeCustomResource     = customResource{"custom-resource-event-bridge", "event-bridge/handler.handler", "an eventBridge event in the custom-resource mode", 3}
)

// customResourceUse is one custom resource the events use, with its
// role statements and the setting that uses it.
type customResourceUse struct {
	r          customResource
	statements []any
	pos        diag.Pos
}

// customResourcesRoleID is the role every custom resource function
// shares.
const customResourcesRoleID = "IamRoleCustomResourcesLambdaExecution"

// frameworkCustomResourceRuntime is the framework's runtime for the custom
// resource functions, which Lambda no longer creates (docs/differences.md
// row F8); the default mode uses supportedCustomResourceRuntime.
const (
	frameworkCustomResourceRuntime = "nodejs18.x"
	supportedCustomResourceRuntime = "nodejs22.x"
)

// functionID is the function's logical ID.
func (r customResource) functionID() string { return norm(r.name) + "LambdaFunction" }

// serviceToken is what a resource of this kind passes to CloudFormation
// as its handler.
func (r customResource) serviceToken() any { return getAtt(r.functionID(), "Arn") }

// UsesCustomResources says whether the framework's template for svc
// deploys one of its custom resources (an s3 event on an existing bucket,
// a cognitoUserPool event on an existing pool, an eventBridge event in
// the custom-resource mode, access logs of the functions' REST API or
// websocket API whose CloudWatch role is not managed elsewhere), so that
// the package holds custom-resources.zip.
func UsesCustomResources(svc *schema.Service) bool {
	restEvents := false
	for _, f := range svc.Functions {
		if f.Config == nil {
			continue
		}
		for _, ev := range f.EventList {
			switch {
			case ev.S3 != nil && ev.S3.Existing.Truthy():
				return true
			case ev.CognitoUserPool != nil && ev.CognitoUserPool.Existing.Truthy():
				return true
			case ev.EventBridge != nil && eventBridgeCustomMode(svc):
				return true
			case ev.Kind == "http" && ev.Value != nil && ev.Value.Kind != schema.Null:
				restEvents = true
			}
		}
	}
	return restEvents && RESTLogsRole(svc) || websocketLogsRole(svc)
}

// websocketLogsRole says whether provider.logs.websocket has the
// framework set API Gateway's CloudWatch role with its custom resource:
// websocket events on an API the service creates, logs on, and
// provider.logs.restApi.roleManagedExternally not true.
func websocketLogsRole(svc *schema.Service) bool {
	ws := svc.Provider.Websocket
	if !ws.Logs.Truthy() || ws.APIID.Truthy() || restLogsRoleManaged(svc.Provider.RESTAPILogs) {
		return false
	}
	for _, f := range svc.Functions {
		if f.Config == nil {
			continue
		}
		for _, ev := range f.EventList {
			if ev.Websocket != nil {
				return true
			}
		}
	}
	return false
}

// eventBridgeCustomMode is the framework's choice of the legacy custom
// resource for eventBridge events: a provider.eventBridge whose
// useCloudFormation is not true.
func eventBridgeCustomMode(svc *schema.Service) bool {
	opts := svc.Provider.EventBridge
	return opts.Node != nil && !opts.UseCloudFormation.Truthy()
}

// addCustomResource records that the events use the custom resource;
// addCustomResources adds it to the template. pos is the setting that
// uses it.
func (c *compiler) addCustomResource(r customResource, statements []any, pos diag.Pos) {
	c.customResources = append(c.customResources, customResourceUse{r, statements, pos})
}

// addCustomResources adds the custom resources used to the template in the
// framework's plugin order: each one's function, and its statements to
// the role they share, created on first use. The statements accumulate,
// but for one whose Resource is a string another statement has.
func (c *compiler) addCustomResources() {
	sort.SliceStable(c.customResources, func(i, j int) bool { return c.customResources[i].r.order < c.customResources[j].r.order })
	for _, u := range c.customResources {
		c.addCustomResourceFunction(u.r, u.statements, u.pos)
	}
}

// addCustomResourceFunction is the framework's addCustomResourceToService:
// the function (named <service>-<stage>-<name>, MD5-shortened beyond 64
// characters), its log group with logs.frameworkLambda, and its role.
func (c *compiler) addCustomResourceFunction(r customResource, statements []any, pos diag.Pos) {
	p := c.svc.Provider.Node
	prefix := c.svc.Name + "-" + c.svc.Stage
	functionName := prefix + "-" + r.name
	if len(functionName) > 64 {
		sum := md5.Sum([]byte(functionName))
		functionName = functionName[:32] + hex.EncodeToString(sum[:])
	}
	writeLogs := p.Path("logs.frameworkLambda").Truthy()
	code, ok := c.tpl.CustomResourcesCode()
	if !ok {
		c.diags.Errorf(pos, "internal error",
			"custom-resources.zip, the code of the framework's custom resource for %s, was not packaged. Please report this.", r.setting)
		return
	}
	runtime := supportedCustomResourceRuntime
	if c.in.Quirks.CustomResourceNodejs18 {
		runtime = frameworkCustomResourceRuntime
		c.diags.Warnf(pos, "the framework's "+r.name+" function uses nodejs18.x, which Lambda no longer creates",
			"For %s the framework adds a Lambda function with runtime nodejs18.x; AWS deprecated that runtime in 2025 and Lambda now refuses to create functions with it, so the deployment fails. The default mode uses %s.", r.setting, supportedCustomResourceRuntime)
	}
	if _, taken := c.res[r.functionID()]; taken {
		c.strictf(pos, fmt.Sprintf("the framework's %s function replaces the resource %s", r.name, r.functionID()),
			"For %s the framework adds its custom resource function under this logical ID, over the service's own resource (a function with the key %s). Rename that function.", r.setting, r.name)
	}
	fn := map[string]any{"Type": "AWS::Lambda::Function", "Properties": map[string]any{
		"Code": code, "FunctionName": functionName, "Handler": r.handler,
		"MemorySize": json.Number("1024"), "Runtime": runtime, "Timeout": json.Number("180")}}
	deps := []any{}
	props := fn["Properties"].(map[string]any)
	if role := deploymentRole(&c.svc.Provider); role != nil {
		props["Role"] = value(role)
	} else {
		role, ok := c.res[customResourcesRoleID].(map[string]any)
		if !ok {
			var initial []any
			if writeLogs {
				groups := "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/" + prefix + "*:*"
				initial = append(initial,
					map[string]any{"Effect": "Allow", "Action": []any{"logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"},
						"Resource": []any{map[string]any{"Fn::Sub": groups}}},
					map[string]any{"Effect": "Allow", "Action": []any{"logs:PutLogEvents"},
						"Resource": []any{map[string]any{"Fn::Sub": groups + ":*"}}})
			}
			role = map[string]any{"Type": "AWS::IAM::Role", "Properties": map[string]any{
				"AssumeRolePolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
					"Effect": "Allow", "Principal": map[string]any{"Service": []any{"lambda.amazonaws.com"}}, "Action": []any{"sts:AssumeRole"}}}},
				"Policies": []any{map[string]any{
					"PolicyName":     join("-", c.svc.Stage, c.svc.Name, "custom-resources-lambda"),
					"PolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": initial}}}}}
			c.res[customResourcesRoleID] = role
		}
		doc := role["Properties"].(map[string]any)["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)
		existing, _ := doc["Statement"].([]any)
		for _, st := range statements {
			if !sameStringResource(existing, st) {
				existing = append(existing, st)
			}
		}
		doc["Statement"] = existing
		props["Role"] = getAtt(customResourcesRoleID, "Arn")
		deps = append(deps, customResourcesRoleID)
	}
	if writeLogs {
		groupID := norm(r.name) + "LogGroup"
		deps = append(deps, groupID)
		groupProps := map[string]any{"LogGroupName": "/aws/lambda/" + functionName}
		if n := c.svc.Provider.LogRetentionInDays; n != nil && n.Kind != schema.Null {
			groupProps["RetentionInDays"] = value(n)
		}
		if n := c.svc.Provider.LogDataProtectionPolicy; n != nil && n.Kind != schema.Null {
			groupProps["DataProtectionPolicy"] = value(n)
		}
		c.res[groupID] = map[string]any{"Type": "AWS::Logs::LogGroup", "Properties": groupProps}
	}
	fn["DependsOn"] = deps
	c.res[r.functionID()] = fn
}

// sameStringResource says whether a statement has the same Resource as
// one of the statements, which the framework then leaves out: it compares
// Resources with ===, equal for strings only (objects are other objects).
func sameStringResource(statements []any, st any) bool {
	r, ok := st.(map[string]any)["Resource"].(string)
	if !ok {
		return false
	}
	for _, s := range statements {
		if other, ok := s.(map[string]any)["Resource"].(string); ok && other == r {
			return true
		}
	}
	return false
}

// deploymentRole is the framework's getCustomDeploymentRole:
// provider.iam.deploymentRole, else provider.cfnRole; nil when neither is
// set (or falsy), and the custom resources get their own role.
func deploymentRole(provider *schema.Provider) *schema.Node {
	role := provider.DeploymentRole
	if !role.Truthy() {
		return nil
	}
	return role
}

// customResourceStatement is a statement of the custom resources' role.
func customResourceStatement(resource any, actions ...any) map[string]any {
	return map[string]any{"Effect": "Allow", "Resource": resource, "Action": actions}
}

// anyLambdaFunction is the ARN pattern of every function in the account
// and region, which the custom resources add permissions to.
func anyLambdaFunction() any {
	return join(":", "arn", ref("AWS::Partition"), "lambda", ref("AWS::Region"), ref("AWS::AccountId"), "function", "*")
}

// apiGatewayCloudWatchRole adds, once, the framework's custom resource
// that sets API Gateway's CloudWatch role, with which API Gateway writes
// the access logs of provider.logs.restApi and provider.logs.websocket
// (creating a role unless provider.logs.restApi.role names one). pos is
// the setting that asks for it, named by setting.
func (c *compiler) apiGatewayCloudWatchRole(setting string, pos diag.Pos) {
	if c.apiGatewayRoleAdded {
		return
	}
	c.apiGatewayRoleAdded = true
	roleProps := map[string]any{"ServiceToken": apiGatewayRoleResource.serviceToken()}
	if logs := c.svc.Provider.RESTAPILogs; logs.Node != nil && logs.Node.Kind == schema.Map && logs.Role != nil {
		roleProps["RoleArn"] = value(logs.Role)
	}
	c.res["CustomApiGatewayAccountCloudWatchRole"] = map[string]any{"Type": "Custom::ApiGatewayAccountRole", "Version": json.Number("1"), "Properties": roleProps}
	r := apiGatewayRoleResource
	r.setting = setting
	c.addCustomResource(r, []any{
		customResourceStatement(join(":", "arn", ref("AWS::Partition"), "iam:", ref("AWS::AccountId"), "role/*"),
			"iam:AttachRolePolicy", "iam:CreateRole", "iam:ListAttachedRolePolicies", "iam:PassRole"),
		customResourceStatement(join(":", "arn", ref("AWS::Partition"), "apigateway:*::/account"), "apigateway:GET", "apigateway:PATCH"),
	}, pos)
}

// addConfig appends config to the listKey configurations of a function's
// custom resource on an existing bucket or pool, for a later event of the
// function. The framework reads forceDeploy from the first event only: on
// a later one, that summary is reported.
func (c *compiler) addConfig(resource map[string]any, listKey string, config any, forceDeploy *schema.Node, summary string) {
	props := resource["Properties"].(map[string]any)
	if forceDeploy.Truthy() && props["ForceDeploy"] == nil {
		c.strictf(forceDeploy.Pos, summary,
			"The framework ignores it on later events. Move forceDeploy: true to the function's first such event.")
	}
	props[listKey] = append(props[listKey].([]any), config)
}

// customResourcesOn lists, per existing bucket or pool in the order they
// are first named, the custom resources that configure it.
type customResourcesOn struct {
	targets []string
	ids     map[string][]string
}

func (r *customResourcesOn) add(target, id string) {
	if _, ok := r.ids[target]; !ok {
		if r.ids == nil {
			r.ids = map[string][]string{}
		}
		r.targets = append(r.targets, target)
	}
	r.ids[target] = append(r.ids[target], id)
}

// chain makes each resource on a target depend on the one before it, so
// that they run one after another: each rewrites the target's whole
// configuration.
func (r *customResourcesOn) chain(res map[string]any) {
	for _, t := range r.targets {
		ids := r.ids[t]
		for i := 1; i < len(ids); i++ {
			rr := res[ids[i]].(map[string]any)
			rr["DependsOn"] = append(rr["DependsOn"].([]any), ids[i-1])
		}
	}
}
