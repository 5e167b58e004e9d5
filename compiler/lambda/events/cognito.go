package events

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// cognitoTriggers are the user pool triggers the framework knows; the
// custom sender triggers take a KMS key and a Lambda version.
var (
	cognitoTriggers = []string{"PreSignUp", "PostConfirmation", "PreAuthentication", "PostAuthentication",
		"PreTokenGeneration", "CustomMessage", "DefineAuthChallenge", "CreateAuthChallenge",
		"VerifyAuthChallengeResponse", "UserMigration", "CustomSMSSender", "CustomEmailSender"}
	cognitoSenderTriggers = []string{"CustomSMSSender", "CustomEmailSender"}
)

// cognitoPoolName is Cognito's rule for user pool names.
var cognitoPoolName = lazyre.New(`^[\w\s+=,.@-]+$`)

// cognitoTrigger is one cognitoUserPool event, validated.
type cognitoTrigger struct {
	fn            function
	ev            *schema.FunctionEvent
	pool, trigger string
	kmsKeyID      *schema.Node
	lambdaVersion *schema.Node
}

// cognitoUserPools compiles cognitoUserPool events on pools the service
// creates: each pool with its triggers (a later event's trigger replaces
// an earlier one of the same name), and a permission per event; then
// those on existing pools.
func (c *compiler) cognitoUserPools() {
	var triggers []cognitoTrigger
	var pools []string
	seenPool := map[string]bool{}
	for _, fn := range c.fns {
		for _, ev := range fn.EventList {
			if t, ok := c.cognitoTrigger(fn, ev); ok {
				triggers = append(triggers, t)
				if !seenPool[t.pool] {
					seenPool[t.pool] = true
					pools = append(pools, t.pool)
				}
			}
		}
	}
	c.checkCognitoTriggers(triggers)
	for _, pool := range pools {
		config := map[string]any{}
		deps := []any{}
		for _, t := range triggers {
			if t.pool != pool {
				continue
			}
			if contains(cognitoSenderTriggers, t.trigger) {
				version := any("V1_0")
				if t.lambdaVersion.Truthy() {
					version = value(t.lambdaVersion)
				}
				config[t.trigger] = map[string]any{"LambdaArn": t.fn.Target, "LambdaVersion": version}
				config["KMSKeyID"] = value(t.kmsKeyID)
			} else {
				config[t.trigger] = t.fn.Target
			}
			if t.fn.AliasID != "" {
				deps = append(deps, t.fn.AliasID)
			} else {
				deps = append(deps, t.fn.LogicalID)
			}
		}
		c.merge(cognitoPoolID(pool), map[string]any{"Type": "AWS::Cognito::UserPool",
			"Properties": map[string]any{"UserPoolName": pool, "LambdaConfig": config}, "DependsOn": deps})
	}
	for _, t := range triggers {
		id := norm(t.fn.Key) + "LambdaPermissionCognitoUserPool" + alnum(t.pool) + "TriggerSource" + alnum(t.trigger)
		c.checkSharedFix(t.fn, t.ev, "the Cognito user pool "+t.pool,
			"Give the trigger to a function without a condition, or drop the condition.")
		c.own(t.fn, id)
		c.merge(id, permission(t.fn, "cognito-idp.amazonaws.com", getAtt(cognitoPoolID(t.pool), "Arn")))
	}
	c.existingCognitoUserPools()
}

// existingCognitoUserPools compiles cognitoUserPool events on existing
// pools: per function a Custom::CognitoUserPool (one pool each) whose
// triggers the framework's custom resource function writes into the
// pool's configuration, the resources on one pool one after another.
func (c *compiler) existingCognitoUserPools() {
	var statements []any
	var firstPos diag.Pos
	used := false
	var resourcesOn customResourcesOn // on each pool, its Custom::CognitoUserPool resources
	keys := map[string]*schema.Node{} // pool → the KMS key of its sender triggers
	for _, fn := range c.fns {
		id := norm(fn.Key) + "CustomCognitoUserPool1"
		var resource map[string]any
		pool := ""
		for _, ev := range fn.EventList {
			e := ev.CognitoUserPool
			if e == nil || !e.Existing.Truthy() {
				continue
			}
			p, okPool := c.cognitoSetting(fn, ev, e.Pool, "pool")
			trigger, okTrigger := c.cognitoSetting(fn, ev, e.Trigger, "trigger")
			if !okPool || !okTrigger {
				continue
			}
			if !contains(cognitoTriggers, trigger) {
				c.strictf(e.Trigger.Pos, fmt.Sprintf("function %q: unknown Cognito trigger %q", fn.Key, trigger),
					"The framework's custom resource writes it into the pool's LambdaConfig, which Cognito rejects. The triggers are %s.%s",
					strings.Join(cognitoTriggers, ", "), diag.DidYouMean(trigger, cognitoTriggers))
			}
			if resource != nil && p != pool {
				c.diags.Errorf(e.Pool.Pos, fmt.Sprintf("function %q: cognitoUserPool events on existing pools name one pool per function", fn.Key),
					"The framework gives each function one custom resource, for one user pool, and refuses a second (here %s after %s). Trigger another function from the other pool.", p, pool)
				continue
			}
			config := map[string]any{"Trigger": trigger}
			sender := contains(cognitoSenderTriggers, trigger)
			if sender {
				if !e.KMSKeyID.Truthy() {
					c.diags.Errorf(e.Trigger.Pos, fmt.Sprintf("function %q: the %s trigger needs kmsKeyId", fn.Key, trigger),
						"Cognito encrypts the codes it gives custom sender triggers with a KMS key: add kmsKeyId: <the key's ARN>. The framework fails without it.")
					continue
				}
				if prev, ok := keys[p]; ok && jsvalue.Stringify(prev, "") != jsvalue.Stringify(e.KMSKeyID, "") {
					c.diags.Errorf(e.KMSKeyID.Pos, fmt.Sprintf("user pool %q has custom sender triggers with different KMS keys", p),
						"A user pool has one KMS key for its custom sender triggers; the framework fails on two. Give the same kmsKeyId to each.")
					continue
				}
				keys[p] = e.KMSKeyID
				config["LambdaVersion"] = "V1_0"
				if e.LambdaVersion.Truthy() {
					config["LambdaVersion"] = value(e.LambdaVersion)
				}
				config["KMSKeyID"] = value(e.KMSKeyID)
			}
			if resource != nil {
				c.addConfig(resource, "UserPoolConfigs", config, e.ForceDeploy,
					fmt.Sprintf("function %q: forceDeploy is read from the function's first cognitoUserPool event on an existing pool only", fn.Key))
				continue
			}
			if !used {
				used, firstPos = true, e.Existing.Pos
			}
			pool = p
			resourcesOn.add(p, id)
			if sender {
				statements = append(statements, customResourceStatement(value(e.KMSKeyID), "kms:CreateGrant"))
			}
			props := map[string]any{"ServiceToken": existingCognitoCustomResource.serviceToken(), "FunctionName": fn.Name,
				"UserPoolName": p, "UserPoolConfigs": []any{config}}
			if e.ForceDeploy.Truthy() {
				props["ForceDeploy"] = c.forceDeployValue()
			}
			resource = map[string]any{"Type": "Custom::CognitoUserPool", "Version": json.Number("1"),
				"DependsOn": []any{fn.LogicalID, existingCognitoCustomResource.functionID()}, "Properties": props}
			c.res[id] = resource
			c.own(fn, id)
			statements = append(statements, customResourceStatement("*",
				"cognito-idp:ListUserPools", "cognito-idp:DescribeUserPool", "cognito-idp:UpdateUserPool"))
		}
		if resource != nil {
			statements = append(statements, customResourceStatement(map[string]any{"Fn::Sub": "arn:${AWS::Partition}:lambda:*:*:function:" + fn.Name},
				"lambda:AddPermission", "lambda:RemovePermission"))
		}
	}
	if !used {
		return
	}
	statements = append(statements, customResourceStatement(map[string]any{"Fn::Sub": "arn:${AWS::Partition}:iam::*:role/*"}, "iam:PassRole"))
	resourcesOn.chain(c.res)
	c.addCustomResource(existingCognitoCustomResource, statements, firstPos)
}

func cognitoPoolID(pool string) string { return "CognitoUserPool" + alnum(pool) }

// cognitoTrigger reads a cognitoUserPool event; ok is false when it is
// none, or one the framework fails on or stepform does not compile.
func (c *compiler) cognitoTrigger(fn function, ev *schema.FunctionEvent) (t cognitoTrigger, ok bool) {
	e := ev.CognitoUserPool
	if e == nil {
		return t, false
	}
	if !e.Object {
		c.diags.Errorf(ev.Value.Pos, fmt.Sprintf("function %q: the cognitoUserPool event needs pool and trigger", fn.Key),
			"Write the event as an object: - cognitoUserPool: {pool: MyUserPool, trigger: PreSignUp}; the framework fails on other forms.")
		return t, false
	}
	if e.Existing.Truthy() {
		return t, false // existingCognitoUserPools
	}
	t = cognitoTrigger{fn: fn, ev: ev, kmsKeyID: e.KMSKeyID, lambdaVersion: e.LambdaVersion}
	var okPool, okTrigger bool
	t.pool, okPool = c.cognitoSetting(fn, ev, e.Pool, "pool")
	t.trigger, okTrigger = c.cognitoSetting(fn, ev, e.Trigger, "trigger")
	if !okPool || !okTrigger {
		return t, false
	}
	if len(t.pool) > 128 || !cognitoPoolName.MatchString(t.pool) {
		c.strictf(e.Pool.Pos, fmt.Sprintf("invalid Cognito user pool name %q", t.pool),
			"User pool names are 1 to 128 letters, digits, spaces and + = , . @ _ - characters; Cognito rejects the pool.")
	}
	if !contains(cognitoTriggers, t.trigger) {
		c.strictf(e.Trigger.Pos, fmt.Sprintf("function %q: unknown Cognito trigger %q", fn.Key, t.trigger),
			"The framework writes it into the pool's LambdaConfig, which CloudFormation rejects. The triggers are %s.%s",
			strings.Join(cognitoTriggers, ", "), diag.DidYouMean(t.trigger, cognitoTriggers))
	}
	if contains(cognitoSenderTriggers, t.trigger) && !e.KMSKeyID.Truthy() {
		c.diags.Errorf(e.Trigger.Pos, fmt.Sprintf("function %q: the %s trigger needs kmsKeyId", fn.Key, t.trigger),
			"Cognito encrypts the codes it gives custom sender triggers with a KMS key: add kmsKeyId: <the key's ARN>. The framework fails without it.")
		return t, false
	}
	return t, true
}

// cognitoSetting is the text of an event's pool or trigger (the
// framework's schema turns numbers and booleans into text); ok is false
// when it is missing or not text.
func (c *compiler) cognitoSetting(fn function, ev *schema.FunctionEvent, n *schema.Node, key string) (string, bool) {
	switch {
	case n == nil:
		c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: the cognitoUserPool event needs %s", fn.Key, key),
			"Give both pool (the user pool's name) and trigger (PreSignUp, PostConfirmation, ...); the framework fails without them.")
	case n.Kind == schema.String || n.Kind == schema.Number || n.Kind == schema.Bool:
		return n.Value, true
	default:
		c.diags.Errorf(n.Pos, fmt.Sprintf("function %q: the cognitoUserPool event's %s must be a string", fn.Key, key),
			"The framework fails on a %s that is no name.", key)
	}
	return "", false
}

// checkCognitoTriggers reports a pool trigger given to several events,
// of which the pool keeps only the last, and custom sender triggers of
// one pool with different KMS keys, which the framework refuses.
func (c *compiler) checkCognitoTriggers(triggers []cognitoTrigger) {
	type poolTrigger struct{ pool, trigger string }
	first := map[poolTrigger]cognitoTrigger{}
	keys := map[string]*schema.Node{}
	for _, t := range triggers {
		k := poolTrigger{t.pool, t.trigger}
		if prev, ok := first[k]; ok {
			c.strictf(t.ev.CognitoUserPool.Trigger.Pos, fmt.Sprintf("function %q: user pool %q already has a %s trigger", t.fn.Key, t.pool, t.trigger),
				"A user pool runs one function per trigger: the framework keeps the last one, so function %q would never run for it. Give each trigger of a pool once.", prev.fn.Key)
		} else {
			first[k] = t
		}
		if !contains(cognitoSenderTriggers, t.trigger) {
			continue
		}
		if prev, ok := keys[t.pool]; ok && jsvalue.Stringify(prev, "") != jsvalue.Stringify(t.kmsKeyID, "") {
			c.diags.Errorf(t.kmsKeyID.Pos, fmt.Sprintf("user pool %q has custom sender triggers with different KMS keys", t.pool),
				"A user pool has one KMS key for its custom sender triggers; the framework fails on two. Give the same kmsKeyId to each.")
			continue
		}
		keys[t.pool] = t.kmsKeyID
	}
}
