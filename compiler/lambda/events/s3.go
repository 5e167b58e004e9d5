package events

import (
	"encoding/json"
	"fmt"
	"path"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema/diag"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
)

var (
	bucketNamePattern = lazyre.New(`^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$`)
	ipAddress         = lazyre.New(`^(\d{1,3}\.){3}\d{1,3}$`)
)

// s3 compiles s3 events: a bucket per name with a notification per
// event, and an invoke permission per event that the bucket waits for.
func (c *compiler) s3() {
	type enabled struct {
		fn             function
		bucket, permID string
	}
	var order []string
	configs := map[string][]any{}
	bucketRefs := map[string]string{} // bucket name → its provider.s3 key
	var events []enabled
	for _, fn := range c.fns {
		for _, ev := range fn.EventList {
			e := ev.S3
			if e == nil {
				continue
			}
			if e.Existing.Truthy() {
				continue // existingS3's
			}
			if e.Bucket == nil || e.Bucket.Kind != schema.String {
				c.diags.Errorf(posOf(e.Bucket, ev.KeyPos), fmt.Sprintf("function %q: the s3 event needs a bucket name", fn.Key),
					"The framework creates the bucket, so give its name as a string. A bucket given by an intrinsic function exists already: add existing: true.")
				continue
			}
			bucketRef := e.Bucket.Value
			bucketName := bucketRef
			if conf := c.svc.Provider.S3Bucket(bucketRef); conf != nil && conf.Node.Kind == schema.Map {
				if n := str(conf.Name); n != "" {
					bucketName = n
				}
				bucketRefs[bucketName] = bucketRef
			}
			if !bucketNamePattern.MatchString(bucketName) || ipAddress.MatchString(bucketName) {
				c.diags.Errorf(e.Bucket.Pos, fmt.Sprintf("invalid bucket name %q", bucketName),
					"S3 bucket names are lower-case letters, digits, dots and hyphens, start and end with a letter or digit, and are not IP addresses; the framework refuses others.")
				continue
			}
			cfg := map[string]any{"Event": "s3:ObjectCreated:*", "Function": fn.Target}
			if e.Event.Truthy() {
				cfg["Event"] = value(e.Event)
			}
			if e.Rules != nil && e.Rules.Kind == schema.List {
				rules := []any{}
				for _, r := range e.Rules.Items {
					if r.Kind == schema.Map && len(r.Pairs) > 0 {
						rules = append(rules, map[string]any{"Name": r.Pairs[0].Key, "Value": value(r.Pairs[0].Value)})
					}
				}
				cfg["Filter"] = map[string]any{"S3Key": map[string]any{"Rules": rules}}
			}
			if _, ok := configs[bucketName]; !ok {
				order = append(order, bucketName)
			}
			configs[bucketName] = append(configs[bucketName], cfg)
			c.checkShared(fn, ev, fmt.Sprintf("the created bucket %s's notification configuration", bucketName))
			events = append(events, enabled{fn: fn, bucket: bucketName})
		}
	}
	permID := func(x enabled) string {
		name := x.bucket
		if r, ok := bucketRefs[x.bucket]; ok {
			name = r
		}
		return norm(x.fn.Key) + "LambdaPermission" + alnum(name) + "S3"
	}
	for _, bucket := range order {
		props := map[string]any{"BucketName": bucket}
		notification := map[string]any{"LambdaConfigurations": configs[bucket]}
		id := "S3Bucket" + alnum(bucket)
		if key, ok := bucketRefs[bucket]; ok {
			id = "S3Bucket" + alnum(key)
			for _, p := range c.svc.Provider.S3Bucket(key).Node.Pairs {
				switch {
				case p.Key == "name":
				case upperFirst(p.Key) == "NotificationConfiguration":
					if nc := p.Value; nc != nil && nc.Kind == schema.Map {
						for _, q := range nc.Pairs {
							notification[q.Key] = value(q.Value)
						}
					}
				default:
					props[upperFirst(p.Key)] = value(p.Value)
				}
			}
		}
		props["NotificationConfiguration"] = notification
		deps := []any{}
		for _, x := range events {
			if x.bucket == bucket {
				deps = append(deps, permID(x))
				if x.fn.AliasID != "" {
					deps = append(deps, x.fn.AliasID)
				}
			}
		}
		c.merge(id, map[string]any{"Type": "AWS::S3::Bucket", "Properties": props, "DependsOn": deps})
	}
	for _, x := range events {
		p := permission(x.fn, "s3.amazonaws.com", join("", "arn:", ref("AWS::Partition"), ":s3:::"+x.bucket))
		p["Properties"].(map[string]any)["SourceAccount"] = ref("AWS::AccountId")
		c.merge(permID(x), p)
		c.own(x.fn, permID(x))
	}
	c.existingS3()
}

// existingS3 compiles s3 events on existing buckets: per function a
// Custom::S3 resource (one bucket each) whose configurations the
// framework's custom resource function writes into the bucket's
// notifications, in the order of the resources on each bucket.
func (c *compiler) existingS3() {
	var statements []any
	var firstPos diag.Pos
	used := false
	var resourcesOn customResourcesOn // on each bucket, its Custom::S3 resources
	for _, fn := range c.fns {
		id := norm(fn.Key) + "CustomS31"
		var resource map[string]any
		var bucketKey string
		for _, ev := range fn.EventList {
			e := ev.S3
			if e == nil || !e.Existing.Truthy() {
				continue
			}
			if e.Bucket == nil || e.Bucket.Kind == schema.Null {
				c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: the s3 event needs bucket", fn.Key),
					"Give the existing bucket's name (a string or an intrinsic function) as bucket:.")
				continue
			}
			key := e.Bucket.Value
			if e.Bucket.Kind != schema.String {
				key = jsvalue.Stringify(e.Bucket, "")
			} else if !bucketNamePattern.MatchString(key) || ipAddress.MatchString(key) {
				c.strictf(e.Bucket.Pos, fmt.Sprintf("invalid bucket name %q", key),
					"S3 bucket names are lower-case letters, digits, dots and hyphens, start and end with a letter or digit, and are not IP addresses; the custom resource would fail on this one.")
			}
			if resource != nil && key != bucketKey {
				c.diags.Errorf(e.Bucket.Pos, fmt.Sprintf("function %q: s3 events on existing buckets name one bucket per function", fn.Key),
					"The framework gives each function one custom resource, for one bucket, and refuses a second (here %s after %s). Trigger another function from the other bucket.", key, bucketKey)
				continue
			}
			config := map[string]any{"Event": "s3:ObjectCreated:*", "Rules": c.existingS3Rules(fn, e.Rules)}
			if e.Event.Truthy() {
				config["Event"] = value(e.Event)
			}
			if resource != nil {
				c.addConfig(resource, "BucketConfigs", config, e.ForceDeploy,
					fmt.Sprintf("function %q: forceDeploy is read from the function's first s3 event on an existing bucket only", fn.Key))
				continue
			}
			if !used {
				used, firstPos = true, e.Existing.Pos
			}
			bucketKey = key
			resourcesOn.add(key, id)
			props := map[string]any{"ServiceToken": existingS3CustomResource.serviceToken(), "FunctionName": fn.Name,
				"BucketName": value(e.Bucket), "BucketConfigs": []any{config}}
			if e.ForceDeploy.Truthy() {
				props["ForceDeploy"] = c.forceDeployValue()
			}
			resource = map[string]any{"Type": "Custom::S3", "Version": json.Number("1"),
				"DependsOn": []any{fn.LogicalID, existingS3CustomResource.functionID()}, "Properties": props}
			c.res[id] = resource
			c.own(fn, id)
			statements = append(statements, customResourceStatement(
				join(":", "arn", ref("AWS::Partition"), "s3", "", "", value(e.Bucket)),
				"s3:PutBucketNotification", "s3:GetBucketNotification"))
		}
	}
	if !used {
		return
	}
	statements = append(statements, customResourceStatement(anyLambdaFunction(), "lambda:AddPermission", "lambda:RemovePermission"))
	resourcesOn.chain(c.res)
	c.addCustomResource(existingS3CustomResource, statements, firstPos)
}

// existingS3Rules are an existing bucket's key filter rules:
// {Prefix|Suffix: value} (lodash's startCase of the key).
func (c *compiler) existingS3Rules(fn function, rules *schema.Node) []any {
	out := []any{}
	if rules == nil || rules.Kind != schema.List {
		return out
	}
	for _, r := range rules.Items {
		if r.Kind != schema.Map || len(r.Pairs) != 1 || r.Pairs[0].Key != "prefix" && r.Pairs[0].Key != "suffix" {
			c.strictf(r.Pos, fmt.Sprintf("function %q: an s3 rule is one prefix: or suffix:", fn.Key),
				"Each entry of rules: filters object keys by prefix: <text> or suffix: <text>; the framework's schema allows nothing else.")
			if r.Kind != schema.Map {
				continue
			}
		}
		if len(r.Pairs) == 0 {
			out = append(out, map[string]any{})
			continue
		}
		out = append(out, map[string]any{upperFirst(r.Pairs[0].Key): value(r.Pairs[0].Value)})
	}
	return out
}

// forceDeployValue is a forceDeploy: true custom resource's ForceDeploy
// property. The framework writes the clock (Date.now()) so that the
// resource runs again on every deployment; stepform writes the package's
// content-named folder, so that it runs again whenever the code changes
// (docs/differences.md row F9).
func (c *compiler) forceDeployValue() any {
	code, ok := c.tpl.CustomResourcesCode()
	if !ok {
		return nil
	}
	return path.Base(path.Dir(code["S3Key"].(string)))
}
