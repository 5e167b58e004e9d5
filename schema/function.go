package schema

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/stepform/stepform/schema/diag"
)

// FunctionSettings are the Lambda settings of one `functions:` entry that
// the framework maps into the template. Values stay Nodes (with their
// positions) where the framework passes them through; nil means absent.
type FunctionSettings struct {
	// Config is the whole entry.
	Config *Node
	// NameNode is `name:` as written, nil when absent.
	NameNode *Node

	Handler *Node
	// Image is `image:`, nil when absent.
	Image        *ImageSettings
	Runtime      *Node
	MemorySize   *Node
	TimeoutNode  *Node
	Description  *Node
	Architecture *Node
	Environment  *Node
	FunctionTags *Node
	// Role is `role:`; RolePresent also counts `role: null`, which the
	// framework's "every function has a role" test counts too.
	Role        RoleRef
	RolePresent bool
	// VPC is `vpc:`; VPCPresent is true for any vpc key (even false),
	// which adds the VPC managed policy to the default role.
	VPC        *Node
	VPCPresent bool
	// VPCConfig are vpc's subnets and security groups.
	VPCConfig VPCConfig

	Tracing                *Node
	EphemeralStorageSize   *Node
	ReservedConcurrency    *Node
	ProvisionedConcurrency *Node
	SnapStart              *Node
	KmsKeyArn              *Node
	FileSystemConfig       FileSystemSettings
	OnError                *Node
	// Destinations is `destinations:`, nil when absent.
	Destinations            *FunctionDestinations
	MaximumEventAge         *Node
	MaximumRetryAttempts    *Node
	URL                     FunctionURLSettings
	LogRetentionInDays      *Node
	LogDataProtectionPolicy *Node
	DisableLogs             bool
	// VersionFunction is `versionFunction:`; nil means the provider's.
	VersionFunction   *Node
	Condition         *Node
	DependsOn         *Node
	RuntimeManagement RuntimeManagementSettings
	// HTTPAPIPayload is httpApi.payload, the payload version of the
	// function's HTTP API integration.
	HTTPAPIPayload *Node
	Events         *Node
	// EventList is Events decoded.
	EventList []*FunctionEvent
	// Package is the function's `package:` block, decoded once with the
	// rest of the packaging settings (its entry in Service.Packaging).
	Package *PackageConfig
	// HandlerFiles are the files that could hold the handler, relative to
	// the service folder, for runtimes where that can be told (nil
	// otherwise); HandlerFound says whether one of them exists.
	HandlerFiles []string
	HandlerFound bool
}

// ProviderSettings are the provider settings the framework's function
// compilation reads.
type ProviderSettings struct {
	Node *Node
	// HTTPAPI is provider.httpApi with provider.logs.httpApi.
	HTTPAPI                 HTTPAPIConfig
	Runtime                 *Node
	MemorySize              *Node
	TimeoutNode             *Node
	Environment             *Node
	StackTags               *Node
	Architecture            *Node
	KmsKeyArn               *Node
	LogRetentionInDays      *Node
	LogDataProtectionPolicy *Node
	Tracing                 *Node // provider.tracing.lambda
	VPC                     *Node
	VPCConfig               VPCConfig
	Layers                  *Node
	RuntimeManagement       RuntimeManagementSettings
	// VersionFunctions is provider.versionFunctions (default true).
	VersionFunctions bool
	// DeploymentBucket is provider.deploymentBucket (a name or an object).
	DeploymentBucket DeploymentBucketSettings
	// DeploymentPrefix is provider.deploymentPrefix, default "serverless".
	DeploymentPrefix string
	// IAMRole is provider.iam.role; LegacyRole is provider.role, with
	// LegacyRolePresent for the key itself (the framework tests `'role' in provider`).
	IAMRole              IAMRoleSettings
	LegacyRole           RoleRef
	LegacyRolePresent    bool
	IAMRoleStatements    *Node // provider.iamRoleStatements (legacy)
	IAMManagedPolicies   *Node // provider.iamManagedPolicies (legacy)
	LambdaHashingVersion *Node
	// RESTAPILogs is provider.logs.restApi.
	RESTAPILogs RESTAPILogs
	// StackName is provider.stackName as written, nil when absent.
	StackName *Node
	// KinesisConsumerNamingMode is provider.kinesis.consumerNamingMode as
	// written, nil when absent.
	KinesisConsumerNamingMode *Node
	// EventBridge is provider.eventBridge.
	EventBridge EventBridgeSettings
	// S3Buckets are the entries of provider.s3, the settings of buckets
	// the s3 events create.
	S3Buckets []S3BucketSettings
	// DeploymentRole is provider.iam.deploymentRole as written, else
	// provider.cfnRole; nil when neither is written.
	DeploymentRole *Node
	// Websocket are the provider's settings of the websocket API.
	Websocket WebsocketSettings
	// ALB is provider.alb.
	ALB ALBSettings
}

// ALBSettings is provider.alb: TargetGroupPrefix as written, and the
// authorizers alb events name, in their order.
type ALBSettings struct {
	TargetGroupPrefix *Node
	Authorizers       []ALBAuthorizer
}

// ALBAuthorizer is an entry of provider.alb.authorizers: Type cognito
// (with the UserPool keys) or oidc (with the endpoints and client), each
// key as written.
type ALBAuthorizer struct {
	Name                                                  string
	Type                                                  *Node
	UserPoolArn, UserPoolClientID, UserPoolDomain         *Node
	AuthorizationEndpoint, ClientID, ClientSecret, Issuer *Node
	TokenEndpoint, UserInfoEndpoint                       *Node
	OnUnauthenticatedRequest, RequestExtraParams, Scope   *Node
	SessionCookieName, SessionTimeout                     *Node
}

// Authorizer returns the provider.alb.authorizers entry with the name, or
// nil.
func (s *ALBSettings) Authorizer(name string) *ALBAuthorizer {
	for i := range s.Authorizers {
		if s.Authorizers[i].Name == name {
			return &s.Authorizers[i]
		}
	}
	return nil
}

// WebsocketSettings are the provider's settings of the functions'
// websocket API, each as written (nil when absent): websocketsApiName,
// websocketsApiRouteSelectionExpression, websocketsDescription,
// websocket.useProviderTags, apiGateway.websocketApiId (an existing API)
// and logs.websocket (Logs, with LogsKeyPos its key's position).
type WebsocketSettings struct {
	APIName, RouteSelectionExpression, Description, UseProviderTags, APIID *Node
	Logs                                                                   *Node
	LogsKeyPos                                                             diag.Pos
	// Logs' keys when it is an object, booleans and text coerced.
	AccessLogging, ExecutionLogging, FullExecutionData, Format, Level *Node
}

// S3BucketSettings is an entry of provider.s3: Key its key, Node its
// settings (passed through to the bucket), Name its name: as written.
type S3BucketSettings struct {
	Key        string
	Node, Name *Node
}

// S3Bucket is the provider.s3 entry under key, or nil.
func (s *ProviderSettings) S3Bucket(key string) *S3BucketSettings {
	for i := range s.S3Buckets {
		if s.S3Buckets[i].Key == key {
			return &s.S3Buckets[i]
		}
	}
	return nil
}

// EventBridgeSettings is provider.eventBridge: Node as written (nil when
// the key is absent) and KeyPos its key; UseCloudFormation as written.
type EventBridgeSettings struct {
	Node              *Node
	KeyPos            diag.Pos
	UseCloudFormation *Node
}

// RESTAPILogs is provider.logs.restApi: Node as written (nil when the key
// is absent) and KeyPos its key; AccessLogging, RoleManagedExternally and
// Role as written when it is an object.
type RESTAPILogs struct {
	Node                                       *Node
	KeyPos                                     diag.Pos
	AccessLogging, RoleManagedExternally, Role *Node
}

// Plugin is one entry of `plugins:`.
type Plugin struct {
	Name string
	Pos  diag.Pos
}

// ServiceSettings are the service-level settings of the framework's half.
type ServiceSettings struct {
	// Plugins lists `plugins:` (both its list and its {modules: [...]} form).
	Plugins []Plugin
	// Layers is the top-level `layers:` block, or nil; LayerList its
	// object entries.
	Layers    *Node
	LayerList []Layer
	// Packaging holds every `package:` block (the service's, each
	// function's and layer's) and the other settings that decide the zips.
	Packaging *Packaging
}

// Runtimes are the runtimes Serverless Framework v3's schema lists; any
// other value only warns there and is deployed as written.
var Runtimes = []string{
	"dotnet6", "go1.x", "java21", "java17", "java11", "java8", "java8.al2",
	"nodejs14.x", "nodejs16.x", "nodejs18.x", "nodejs20.x",
	"provided", "provided.al2", "provided.al2023",
	"python3.7", "python3.8", "python3.9", "python3.10", "python3.11",
	"ruby2.7", "ruby3.2",
}

// DefaultRuntime is the framework's runtime when neither the function nor
// the provider sets one.
const DefaultRuntime = "nodejs16.x"

func present(n *Node) *Node {
	if n == nil || n.Kind == Null {
		return nil
	}
	return n
}

// functionSettings decodes a function entry's Lambda settings.
func (d *decoder) functionSettings(f *Function, v *Node) {
	s := &f.FunctionSettings
	s.Config = v
	s.NameNode = v.Get("name")
	get := func(k string) *Node { return present(v.Get(k)) }
	s.Handler = get("handler")
	if h := get("httpApi"); h != nil && h.Kind == Map {
		s.HTTPAPIPayload = present(h.Get("payload"))
	}
	s.Image = decodeImage(get("image"))
	s.Runtime = get("runtime")
	s.MemorySize = coerceNumber(get("memorySize"))
	s.TimeoutNode = coerceNumber(get("timeout"))
	if t := s.TimeoutNode; t != nil && t.Kind == Number && f.Timeout == nil {
		// The framework coerces "30" to 30 before plugins read it.
		v := t.Num
		f.Timeout = &v
	}
	s.Description = get("description")
	s.Architecture = get("architecture")
	s.Environment = d.stringMap(get("environment"), "functions."+f.Key+".environment")
	s.FunctionTags = d.stringMap(get("tags"), "functions."+f.Key+".tags")
	if p := v.Pair("role"); p != nil {
		s.RolePresent = true
		s.Role = decodeRoleRef(present(p.Value))
	}
	if p := v.Pair("vpc"); p != nil {
		s.VPCPresent = true
		s.VPC = p.Value
		s.VPCConfig = decodeVPC(p.Value)
	}
	s.Tracing = get("tracing")
	s.EphemeralStorageSize = coerceNumber(get("ephemeralStorageSize"))
	s.ReservedConcurrency = coerceNumber(get("reservedConcurrency"))
	s.ProvisionedConcurrency = coerceNumber(get("provisionedConcurrency"))
	s.SnapStart = get("snapStart")
	s.KmsKeyArn = get("kmsKeyArn")
	s.FileSystemConfig = decodeFileSystem(get("fileSystemConfig"))
	s.OnError = get("onError")
	s.Destinations = decodeDestinations(get("destinations"))
	s.MaximumEventAge = coerceNumber(get("maximumEventAge"))
	s.MaximumRetryAttempts = coerceNumber(get("maximumRetryAttempts"))
	s.URL = decodeFunctionURL(get("url"))
	s.LogRetentionInDays = coerceNumber(get("logRetentionInDays"))
	s.LogDataProtectionPolicy = get("logDataProtectionPolicy")
	s.DisableLogs = get("disableLogs").Truthy()
	s.VersionFunction = get("versionFunction")
	s.Condition = get("condition")
	s.DependsOn = get("dependsOn")
	s.RuntimeManagement = decodeRuntimeManagement(get("runtimeManagement"))
	s.Events = get("events")
	s.EventList = DecodeFunctionEvents(s.Events)
	if s.Events != nil && s.Events.Kind != List {
		// The framework's compilers call events.forEach and fail.
		d.wrongType(s.Events, "functions."+f.Key+".events", "a list")
	}
	s.Package = d.functionPackage(f.Key)

	d.checkFunctionKeys(f.Key, v)
	if s.Handler != nil && s.Handler.Kind != String {
		d.wrongType(s.Handler, "functions."+f.Key+".handler", "a string such as handler.hello")
	}
	if s.Handler != nil && s.Image != nil {
		d.diags.Errorf(s.Image.Node.Pos, fmt.Sprintf("function %q has both handler and image", f.Key),
			"A function runs either code from a zip (handler) or a container image (image), not both. Remove one of them.")
	} else if s.Handler == nil && s.Image == nil {
		d.diags.Errorf(f.Pos, fmt.Sprintf("function %q has neither handler nor image", f.Key),
			"Add handler: <file>.<exported function> (e.g. handler.hello for hello in handler.js), or image: for a container image.")
	}
}

// providerSettings decodes the provider settings of the framework's half.
func (d *decoder) providerSettings(p *Node, out *Provider) {
	s := &out.ProviderSettings
	s.VersionFunctions = true
	s.DeploymentPrefix = "serverless"
	if p == nil || p.Kind != Map {
		return
	}
	s.Node = p
	get := func(k string) *Node { return present(p.Get(k)) }
	s.HTTPAPI = decodeHTTPAPIConfig(p)
	s.Runtime = get("runtime")
	s.MemorySize = coerceNumber(get("memorySize"))
	s.TimeoutNode = coerceNumber(get("timeout"))
	s.Environment = d.stringMap(get("environment"), "provider.environment")
	s.StackTags = d.stringMap(get("stackTags"), "provider.stackTags")
	s.Architecture = get("architecture")
	s.KmsKeyArn = get("kmsKeyArn")
	s.LogRetentionInDays = coerceNumber(get("logRetentionInDays"))
	s.LogDataProtectionPolicy = get("logDataProtectionPolicy")
	if t := get("tracing"); t != nil && t.Kind == Map {
		s.Tracing = present(t.Get("lambda"))
	}
	s.VPC = get("vpc")
	s.VPCConfig = decodeVPC(s.VPC)
	s.Layers = get("layers")
	s.RuntimeManagement = decodeRuntimeManagement(get("runtimeManagement"))
	if v := get("versionFunctions"); v != nil {
		s.VersionFunctions = d.optBool(v, "provider.versionFunctions")
	}
	s.DeploymentBucket = decodeDeploymentBucket(get("deploymentBucket"))
	if dp := get("deploymentPrefix"); dp != nil {
		if v := d.optString(dp, "provider.deploymentPrefix"); v != "" {
			s.DeploymentPrefix = v
		}
	}
	if iam := get("iam"); iam != nil && iam.Kind == Map {
		s.IAMRole = decodeIAMRole(present(iam.Get("role")))
	}
	if r := p.Pair("role"); r != nil {
		s.LegacyRolePresent = true
		s.LegacyRole = decodeRoleRef(present(r.Value))
	}
	s.IAMRoleStatements = get("iamRoleStatements")
	s.IAMManagedPolicies = get("iamManagedPolicies")
	s.LambdaHashingVersion = get("lambdaHashingVersion")
	s.StackName = p.Get("stackName")
	s.KinesisConsumerNamingMode = p.Get("kinesis").Get("consumerNamingMode")
	if s3 := p.Get("s3"); s3 != nil && s3.Kind == Map {
		for _, b := range s3.Pairs {
			s.S3Buckets = append(s.S3Buckets, S3BucketSettings{Key: b.Key, Node: b.Value, Name: b.Value.Get("name")})
		}
	}
	if s.DeploymentRole = p.Path("iam.deploymentRole"); s.DeploymentRole == nil {
		s.DeploymentRole = p.Get("cfnRole")
	}
	if eb := p.Pair("eventBridge"); eb != nil {
		s.EventBridge = EventBridgeSettings{Node: eb.Value, KeyPos: eb.KeyPos, UseCloudFormation: eb.Value.Get("useCloudFormation")}
	}
	s.Websocket = WebsocketSettings{APIName: coerceString(get("websocketsApiName")),
		RouteSelectionExpression: coerceString(get("websocketsApiRouteSelectionExpression")), Description: coerceString(get("websocketsDescription")), UseProviderTags: coerceBool(present(p.Get("websocket").Get("useProviderTags"))),
		APIID: present(p.Get("apiGateway").Get("websocketApiId"))}
	if alb := get("alb"); alb != nil && alb.Kind == Map {
		s.ALB.TargetGroupPrefix = present(alb.Get("targetGroupPrefix"))
		if auths := alb.Get("authorizers"); auths != nil && auths.Kind == Map {
			for _, a := range auths.Pairs {
				g := func(k string) *Node { return present(a.Value.Get(k)) }
				s.ALB.Authorizers = append(s.ALB.Authorizers, ALBAuthorizer{Name: a.Key, Type: g("type"),
					UserPoolArn: g("userPoolArn"), UserPoolClientID: g("userPoolClientId"), UserPoolDomain: g("userPoolDomain"),
					AuthorizationEndpoint: g("authorizationEndpoint"), ClientID: g("clientId"), ClientSecret: g("clientSecret"),
					Issuer: g("issuer"), TokenEndpoint: g("tokenEndpoint"), UserInfoEndpoint: g("userInfoEndpoint"),
					OnUnauthenticatedRequest: g("onUnauthenticatedRequest"), RequestExtraParams: g("requestExtraParams"),
					Scope: g("scope"), SessionCookieName: g("sessionCookieName"), SessionTimeout: coerceNumber(g("sessionTimeout"))})
			}
		}
	}
	if l := p.Get("logs").Pair("websocket"); l != nil {
		s.Websocket.Logs, s.Websocket.LogsKeyPos = present(l.Value), l.KeyPos
		if v := l.Value; v != nil && v.Kind == Map {
			w := &s.Websocket
			w.AccessLogging, w.ExecutionLogging = coerceBool(present(v.Get("accessLogging"))), coerceBool(present(v.Get("executionLogging")))
			w.FullExecutionData, w.Format, w.Level = coerceBool(present(v.Get("fullExecutionData"))), coerceString(present(v.Get("format"))), present(v.Get("level"))
		}
	}
	if l := p.Get("logs").Pair("restApi"); l != nil {
		s.RESTAPILogs = RESTAPILogs{Node: l.Value, KeyPos: l.KeyPos,
			AccessLogging: l.Value.Get("accessLogging"), RoleManagedExternally: l.Value.Get("roleManagedExternally"), Role: l.Value.Get("role")}
	}
}

// serviceSettings decodes plugins, layers and the service's package block.
func (d *decoder) serviceSettings(root *Node, s *Service) {
	d.root = root
	if pl := present(root.Get("plugins")); pl != nil {
		list := pl
		if pl.Kind == Map {
			list = present(pl.Get("modules"))
		}
		if list != nil && list.Kind == List {
			for _, it := range list.Items {
				if it.Kind == String {
					s.Plugins = append(s.Plugins, Plugin{Name: it.Value, Pos: it.Pos})
				}
			}
		}
	}
	s.Layers = present(root.Get("layers"))
	s.LayerList = decodeLayers(s.Layers)
	s.Packaging = d.packaging(root)
}

// stringMap applies the framework's schema coercion to an object of
// strings (environment variables, tags): numbers and booleans become
// their text, as AJV rewrites them before packaging.
func (d *decoder) stringMap(n *Node, what string) *Node {
	if n == nil {
		return nil
	}
	if n.Kind != Map {
		d.wrongType(n, what, "an object")
		return nil
	}
	out := &Node{Kind: Map, Pos: n.Pos}
	for _, p := range n.Pairs {
		v := p.Value
		if v.Kind == Number || v.Kind == Bool {
			v = NewString(v.Value, v.Pos)
		}
		out.Pairs = append(out.Pairs, Pair{Key: p.Key, KeyPos: p.KeyPos, Value: v})
	}
	return out
}

// coerceNumber turns a numeric string into a number, as the framework's
// schema coercion does for integer settings.
func coerceNumber(n *Node) *Node {
	if n == nil || n.Kind != String {
		return n
	}
	v := strings.TrimSpace(n.Value)
	if v == "" || v != n.Value {
		return n
	}
	var f float64
	if _, err := fmt.Sscanf(v, "%g", &f); err != nil || FormatNumber(f) != v {
		return n
	}
	return NewNumber(f, n.Pos)
}

// RuntimeFamily returns the language family of a Lambda runtime: "nodejs",
// "python", "ruby", "java", "dotnet", "go", "provided", or "" when unknown.
func RuntimeFamily(runtime string) string {
	for _, fam := range []string{"nodejs", "python", "ruby", "java", "dotnet", "go", "provided"} {
		if strings.HasPrefix(runtime, fam) {
			return fam
		}
	}
	return ""
}

// handlerExtensions are the files a handler "path/file.fn" can live in,
// per runtime family. Java, .NET and custom runtimes load handlers from
// compiled archives, so nothing can be checked for them.
var handlerExtensions = map[string][]string{
	"nodejs": {".js", ".mjs", ".cjs"},
	"python": {".py"},
	"ruby":   {".rb"},
}

// findHandlerFiles looks for each zip function's handler file in the
// service folder (functions deployed from a prebuilt artifact are skipped:
// their code is not there).
func findHandlerFiles(s *Service, serviceDir string, read func(string) ([]byte, error)) {
	if s.Packaging.Service.Artifact != "" {
		return
	}
	for _, f := range s.Functions {
		if f.Handler == nil || f.Handler.Kind != String || f.Package != nil && f.Package.Artifact != "" {
			continue
		}
		runtime := DefaultRuntime
		for _, r := range []*Node{f.Runtime, s.Provider.Runtime} {
			if r != nil && r.Kind == String && r.Value != "" {
				runtime = r.Value
				break
			}
		}
		h := f.Handler.Value
		var candidates []string
		switch fam := RuntimeFamily(runtime); fam {
		case "go":
			candidates = []string{h}
		default:
			exts := handlerExtensions[fam]
			i := strings.LastIndex(h, ".")
			if exts == nil || i <= 0 {
				continue
			}
			for _, ext := range exts {
				candidates = append(candidates, h[:i]+ext)
			}
		}
		f.HandlerFiles = candidates
		for _, c := range candidates {
			if _, err := read(filepath.Join(serviceDir, filepath.FromSlash(c))); err == nil {
				f.HandlerFound = true
				break
			}
		}
	}
}

// functionKeys are the keys Serverless Framework v3's schema allows on a
// function (the core's and the AWS provider's): FunctionSpec's.
var functionKeys = []string{"architecture", "awsKmsKeyArn", "condition", "dependsOn", "description", "destinations", "disableLogs", "environment", "ephemeralStorageSize", "events", "fileSystemConfig", "handler", "httpApi", "image", "kmsKeyArn", "layers", "logDataProtectionPolicy", "logRetentionInDays", "maximumEventAge", "maximumRetryAttempts", "memorySize", "name", "onError", "package", "provisionedConcurrency", "reservedConcurrency", "role", "runtime", "runtimeManagement", "snapStart", "tags", "timeout", "tracing", "url", "versionFunction", "vpc"}

// checkFunctionKeys reports function settings v3 does not know (such as
// v4's logs or recursiveLoop), as its schema validation does: they are
// left out of the template.
func (d *decoder) checkFunctionKeys(key string, fn *Node) {
	report, effect := d.diags.Warnf, "warns about it and ignores it"
	if mode := d.root.Get("configValidationMode"); mode != nil && mode.Kind == String {
		switch mode.Value {
		case "error":
			report, effect = d.diags.Errorf, "rejects it (configValidationMode: error)"
		case "off":
			return
		}
	}
	for _, p := range fn.Pairs {
		if contains(functionKeys, p.Key) {
			continue
		}
		report(p.KeyPos, fmt.Sprintf("unknown key %q in function %q", p.Key, key),
			"Serverless Framework v3 %s; stepform leaves it out of the template too.%s",
			effect, diag.DidYouMean(p.Key, functionKeys))
	}
}
