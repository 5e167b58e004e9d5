package events

import (
	"fmt"

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
	providerS3 := c.svc.Provider.Node.Get("s3")
	for _, fn := range c.fns {
		for _, ev := range fn.EventList {
			e := ev.S3
			if e == nil {
				continue
			}
			if e.Existing.Truthy() {
				c.diags.Errorf(e.Existing.Pos, fmt.Sprintf("stepform does not compile s3 events on existing buckets (function %q)", fn.Key),
					"For existing: true the framework deploys a custom resource (a Lambda function from its own custom-resources.zip) that stepform does not reproduce. To deploy it, %s", baseHint)
				continue
			}
			if e.Bucket == nil || e.Bucket.Kind != schema.String {
				c.diags.Errorf(posOf(e.Bucket, ev.KeyPos), fmt.Sprintf("function %q: the s3 event needs a bucket name", fn.Key),
					"The framework creates the bucket, so give its name as a string. A bucket given by an intrinsic function exists already: that needs existing: true, which stepform does not compile (%s)", baseHint)
				continue
			}
			bucketRef := e.Bucket.Value
			bucketName := bucketRef
			if conf := providerS3.Get(bucketRef); conf != nil && conf.Kind == schema.Map {
				if n := str(conf.Get("name")); n != "" {
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
			for _, p := range providerS3.Get(key).Pairs {
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
}
