package schema

import "github.com/stepform/stepform/schema/diag"

// The typed parts of a function's (and the provider's) settings that the
// framework reads key by key. Each keeps the setting as written in Node;
// the other values are its keys as written (a null included), nil when
// absent or when the setting is not an object.

// ImageSettings is a function's `image`: a URI, or {uri (or name),
// command, entryPoint, workingDirectory}.
type ImageSettings struct {
	Node                                       *Node
	URI, Command, EntryPoint, WorkingDirectory *Node
}

// VPCConfig is the subnets and security groups of a `vpc` setting.
type VPCConfig struct {
	SecurityGroupIDs, SubnetIDs *Node
}

// FileSystemSettings is a function's `fileSystemConfig`: an EFS access
// point and where it is mounted.
type FileSystemSettings struct {
	Node                *Node
	ARN, LocalMountPath *Node
}

// FunctionURLSettings is a function's `url`: true, or {authorizer, cors,
// invokeMode}.
type FunctionURLSettings struct {
	Node                   *Node
	Authorizer, InvokeMode *Node
	// CORS is url.cors; its keys are set when it is an object.
	CORS CORSConfig
}

// CORSConfig is the cors of a function URL or of provider.httpApi (the
// framework takes the same keys for both).
type CORSConfig struct {
	Node                                                             *Node
	AllowCredentials, AllowedHeaders, AllowedMethods, AllowedOrigins *Node
	ExposedResponseHeaders, MaxAge                                   *Node
}

// FunctionDestinations is a function's `destinations`.
type FunctionDestinations struct {
	Node                 *Node
	OnSuccess, OnFailure Destination
}

// Destination is where failed (or successful) invocations go, for a
// function's destinations or a stream event's onFailure: an ARN or a
// function key (Node a string), or {arn, type}.
type Destination struct {
	Node      *Node
	ARN, Type *Node
}

// DeploymentBucketSettings is provider.deploymentBucket: a bucket name, or
// {name, tags, blockPublicAccess, versioning, skipPolicySetup, ...}.
type DeploymentBucketSettings struct {
	Node                                                       *Node
	Name, Tags, BlockPublicAccess, Versioning, SkipPolicySetup *Node
}

// RuntimeManagementSettings is `runtimeManagement`: a mode, or {mode, arn}.
type RuntimeManagementSettings struct {
	Node      *Node
	Mode, ARN *Node
}

// IntrinsicArgs are the arguments of the CloudFormation functions a value
// that passes through may be written with: each is nil unless the value
// is an object with that key (Fn::GetAtt, Ref, Fn::ImportValue, Fn::Sub,
// Fn::Join). The framework reads them to name resources after the value.
type IntrinsicArgs struct {
	GetAtt, Ref, ImportValue, Sub, Join *Node
}

func decodeIntrinsicArgs(n *Node) IntrinsicArgs {
	return IntrinsicArgs{GetAtt: n.Get("Fn::GetAtt"), Ref: n.Get("Ref"), ImportValue: n.Get("Fn::ImportValue"),
		Sub: n.Get("Fn::Sub"), Join: n.Get("Fn::Join")}
}

// RoleRef is a role setting as written (nil when absent): an existing
// role's ARN or logical ID (Node a string), or an intrinsic, which passes
// through.
type RoleRef struct {
	Node *Node
	IntrinsicArgs
}

// IAMRoleSettings is provider.iam.role: an existing role (RoleRef), or the
// settings of the role the framework makes.
type IAMRoleSettings struct {
	RoleRef
	Name, Path, Tags, Statements, ManagedPolicies *Node
	// PermissionsBoundary and PermissionBoundary are both spellings the
	// framework takes.
	PermissionsBoundary, PermissionBoundary *Node
}

func decodeImage(n *Node) *ImageSettings {
	if n == nil {
		return nil
	}
	return &ImageSettings{Node: n, URI: n.Get("uri"), Command: n.Get("command"), EntryPoint: n.Get("entryPoint"),
		WorkingDirectory: n.Get("workingDirectory")}
}

func decodeVPC(n *Node) VPCConfig {
	return VPCConfig{SecurityGroupIDs: n.Get("securityGroupIds"), SubnetIDs: n.Get("subnetIds")}
}

func decodeFileSystem(n *Node) FileSystemSettings {
	return FileSystemSettings{Node: n, ARN: n.Get("arn"), LocalMountPath: n.Get("localMountPath")}
}

func decodeFunctionURL(n *Node) FunctionURLSettings {
	return FunctionURLSettings{Node: n, Authorizer: n.Get("authorizer"), InvokeMode: n.Get("invokeMode"), CORS: decodeCORSConfig(n.Get("cors"))}
}

func decodeCORSConfig(c *Node) CORSConfig {
	return CORSConfig{Node: c, AllowCredentials: c.Get("allowCredentials"), AllowedHeaders: c.Get("allowedHeaders"),
		AllowedMethods: c.Get("allowedMethods"), AllowedOrigins: c.Get("allowedOrigins"),
		ExposedResponseHeaders: c.Get("exposedResponseHeaders"), MaxAge: c.Get("maxAge")}
}

func decodeDestinations(n *Node) *FunctionDestinations {
	if n == nil {
		return nil
	}
	dest := func(d *Node) Destination { return Destination{Node: d, ARN: d.Get("arn"), Type: d.Get("type")} }
	return &FunctionDestinations{Node: n, OnSuccess: dest(n.Get("onSuccess")), OnFailure: dest(n.Get("onFailure"))}
}

func decodeDeploymentBucket(n *Node) DeploymentBucketSettings {
	return DeploymentBucketSettings{Node: n, Name: n.Get("name"), Tags: n.Get("tags"), BlockPublicAccess: n.Get("blockPublicAccess"),
		Versioning: n.Get("versioning"), SkipPolicySetup: n.Get("skipPolicySetup")}
}

func decodeRuntimeManagement(n *Node) RuntimeManagementSettings {
	return RuntimeManagementSettings{Node: n, Mode: n.Get("mode"), ARN: n.Get("arn")}
}

func decodeRoleRef(n *Node) RoleRef {
	return RoleRef{Node: n, IntrinsicArgs: decodeIntrinsicArgs(n)}
}

func decodeIAMRole(n *Node) IAMRoleSettings {
	return IAMRoleSettings{RoleRef: decodeRoleRef(n), Name: n.Get("name"), Path: n.Get("path"), Tags: n.Get("tags"), Statements: n.Get("statements"),
		ManagedPolicies: n.Get("managedPolicies"), PermissionsBoundary: n.Get("permissionsBoundary"),
		PermissionBoundary: n.Get("permissionBoundary")}
}

// Layer is an entry of the top-level `layers:` whose value is an object,
// with the keys the framework compiles into its LayerVersion.
type Layer struct {
	Key    string
	KeyPos diag.Pos
	Node   *Node
	// Name, Description, LicenseInfo, CompatibleRuntimes and
	// CompatibleArchitectures pass through.
	Name, Description, LicenseInfo, CompatibleRuntimes, CompatibleArchitectures *Node
	Retain, AllowedAccounts                                                     *Node
}

// decodeLayers lists the object entries of `layers:` in the file's order.
func decodeLayers(l *Node) []Layer {
	if l == nil || l.Kind != Map {
		return nil
	}
	var out []Layer
	for _, p := range l.Pairs {
		v := p.Value
		if v.Kind != Map {
			continue
		}
		out = append(out, Layer{Key: p.Key, KeyPos: p.KeyPos, Node: v, Name: v.Get("name"), Description: v.Get("description"),
			LicenseInfo: v.Get("licenseInfo"), CompatibleRuntimes: v.Get("compatibleRuntimes"),
			CompatibleArchitectures: v.Get("compatibleArchitectures"), Retain: v.Get("retain"), AllowedAccounts: v.Get("allowedAccounts")})
	}
	return out
}
