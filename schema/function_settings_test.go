package schema

import "testing"

// TestDecodeFunctionSettings: the function and provider settings the
// framework reads key by key decode into their typed parts, as written.
func TestDecodeFunctionSettings(t *testing.T) {
	svc, diags := decodeText(t, `service: s
provider:
  name: aws
  deploymentBucket: {name: b, versioning: true}
  vpc: {subnetIds: [s1]}
  runtimeManagement: {mode: manual, arn: a}
  iam: {role: {name: r, permissionBoundary: pb, statements: []}}
  stackName: st
  cfnRole: arn:aws:iam::1:role/cfn
  s3: {photos: {name: my-photos, versioningConfiguration: {Status: Enabled}}}
  httpApi: {cors: {allowedMethods: [GET], maxAge: 0}}
  logs: {httpApi: {format: '$context.requestId'}}
layers:
  tools: {path: tools, retain: true, allowedAccounts: ['*']}
  other: plain
functions:
  f:
    image: {uri: 'x@sha256:1', command: [c]}
    name: fn
    vpc: {securityGroupIds: [g]}
    fileSystemConfig: {arn: fs, localMountPath: /mnt/x}
    url: {authorizer: aws_iam, cors: {allowedOrigins: null, maxAge: 5}}
    destinations: {onFailure: {arn: q, type: sqs}, onSuccess: other}
    events:
      - httpApi: {method: get, path: /a, authorizer: {name: auth, scopes: [s]}}
      - httpApi: {method: get, path: /b, authorizer: auth}
  g:
    handler: h.g
    role: {Fn::GetAtt: [R, Arn]}
`)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	p := svc.Provider
	if p.DeploymentBucket.Name.Value != "b" || !p.DeploymentBucket.Versioning.Truthy() || p.DeploymentBucket.Tags != nil {
		t.Errorf("deploymentBucket %+v", p.DeploymentBucket)
	}
	if p.VPCConfig.SubnetIDs.Kind != List || p.VPCConfig.SecurityGroupIDs != nil || p.RuntimeManagement.Mode.Value != "manual" || p.RuntimeManagement.ARN.Value != "a" {
		t.Errorf("vpc %+v, runtimeManagement %+v", p.VPCConfig, p.RuntimeManagement)
	}
	if p.StackName.Value != "st" || p.HTTPAPI.CorsConfig.AllowedMethods.Kind != List || p.HTTPAPI.CorsConfig.MaxAge.Value != "0" ||
		p.HTTPAPI.CorsConfig.AllowedOrigins != nil || p.HTTPAPI.LogFormat.Value != "$context.requestId" {
		t.Errorf("stackName %+v, httpApi %+v", p.StackName, p.HTTPAPI)
	}
	if b := p.S3Bucket("photos"); b == nil || b.Name.Value != "my-photos" || b.Node.Kind != Map || p.S3Bucket("other") != nil {
		t.Errorf("s3 %+v", p.S3Buckets)
	}
	if p.DeploymentRole.Value != "arn:aws:iam::1:role/cfn" {
		t.Errorf("deploymentRole %+v", p.DeploymentRole)
	}
	if r := p.IAMRole; r.Name.Value != "r" || r.PermissionBoundary.Value != "pb" || r.PermissionsBoundary != nil || r.Statements.Kind != List {
		t.Errorf("iam.role %+v", r)
	}
	if len(svc.LayerList) != 1 || svc.LayerList[0].Key != "tools" || !svc.LayerList[0].Retain.Truthy() || svc.LayerList[0].AllowedAccounts.Kind != List {
		t.Errorf("layers %+v", svc.LayerList)
	}
	f, g := svc.Functions[0], svc.Functions[1]
	if f.Image == nil || f.Image.URI.Value != "x@sha256:1" || f.Image.Command.Kind != List || f.Image.EntryPoint != nil || g.Image != nil {
		t.Errorf("image %+v / %+v", f.Image, g.Image)
	}
	if f.NameNode.Value != "fn" || g.NameNode != nil || f.VPCConfig.SecurityGroupIDs.Kind != List || f.VPCConfig.SubnetIDs != nil {
		t.Errorf("name %+v, vpc %+v", f.NameNode, f.VPCConfig)
	}
	if fs := f.FileSystemConfig; fs.ARN.Value != "fs" || fs.LocalMountPath.Value != "/mnt/x" || g.FileSystemConfig.Node != nil {
		t.Errorf("fileSystemConfig %+v", fs)
	}
	if u := f.URL; u.Authorizer.Value != "aws_iam" || u.CORS.AllowedOrigins == nil || u.CORS.AllowedOrigins.Kind != Null || u.CORS.MaxAge.Value != "5" || u.CORS.AllowedHeaders != nil {
		t.Errorf("url %+v", u)
	}
	a1, a2 := f.EventList[0].HTTPAPI.Authorizer, f.EventList[1].HTTPAPI.Authorizer
	if a1.Name.Value != "auth" || a1.Scopes.Kind != List || a1.ID != nil || a2.Node.Value != "auth" || a2.Name != nil {
		t.Errorf("httpApi authorizers %+v, %+v", a1, a2)
	}
	if r := g.Role; r.GetAtt == nil || r.GetAtt.Kind != List || r.Ref != nil || r.Sub != nil || f.Role.Node != nil {
		t.Errorf("role %+v", r)
	}
	if d := f.Destinations; d == nil || d.OnFailure.ARN.Value != "q" || d.OnFailure.Type.Value != "sqs" || d.OnSuccess.Node.Value != "other" || d.OnSuccess.ARN != nil || g.Destinations != nil {
		t.Errorf("destinations %+v", d)
	}
}
