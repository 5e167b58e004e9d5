'use strict';

// Custom::EventBridge — an EventBridge rule that invokes a function, for
// `eventBridge` events when `provider.eventBridge.useCloudFormation` is off.
//
// Properties: FunctionName and EventBridgeConfig { RuleName, State, EventBus,
// Schedule, Pattern, Input, InputPath, InputTransformer }. The handler lets
// EventBridge invoke the function, creates the event bus when EventBus names
// one (not when it is an ARN, nor `default`), and puts the rule and its one
// target. The rule, target and permission statement are named as the
// Serverless Framework's handler names them, so each finds the other's.

const crypto = require('crypto');
const {
  customResourceHandler,
  environmentOf,
  functionArn,
  isAwsError,
  sdkCallerFactory,
} = require('../lib/custom-resource');
const { allowInvoke, revokeInvoke, statementId } = require('../lib/lambda-permission');

// The framework's PhysicalResourceId for every Custom::EventBridge resource.
const PHYSICAL_RESOURCE_ID = 'CustomResourceEventBridge';

const TARGET_ID_SUFFIX = 'target';

// eventBusName is the bus's name: EventBus itself, or the part after the
// first `/` of an event bus ARN.
function eventBusName(eventBus) {
  if (typeof eventBus === 'string' && eventBus.startsWith('arn')) {
    return eventBus.slice(eventBus.indexOf('/') + 1);
  }
  return eventBus || undefined;
}

// ownsEventBus tells whether the resource creates (and on Delete deletes)
// the bus: only a bus given by name, never one given by ARN nor `default`,
// which every account has and nobody can delete.
function ownsEventBus(eventBus) {
  return typeof eventBus === 'string' && eventBus !== '' && !eventBus.startsWith('arn') && eventBus !== 'default';
}

// targetId is the framework's: `<rule>-target`, or, beyond EventBridge's 64
// characters, the first 25 characters of it, its md5 and `-target`.
function targetId(ruleName) {
  const id = `${ruleName}-${TARGET_ID_SUFFIX}`;
  if (id.length <= 64) return id;
  const digest = crypto.createHash('md5').update(id).digest('hex');
  return `${id.slice(0, 31 - TARGET_ID_SUFFIX.length)}${digest}-${TARGET_ID_SUFFIX}`;
}

function subscriptionOf(properties) {
  const { FunctionName, EventBridgeConfig } = properties || {};
  const config = EventBridgeConfig || {};
  if (!FunctionName || !config.RuleName) {
    throw new Error('Custom::EventBridge needs the properties FunctionName and EventBridgeConfig.RuleName');
  }
  return { functionName: FunctionName, ...config };
}

function sameRule(a, b) {
  return (
    a.functionName === b.functionName &&
    a.RuleName === b.RuleName &&
    eventBusName(a.EventBus) === eventBusName(b.EventBus)
  );
}

// createHandler builds the handler; `clients` replaces the AWS SDK clients
// ({ eventBridge, lambda }: region => (operation, input) => Promise) in tests.
function createHandler({ clients = {}, request } = {}) {
  const eventBridgeFor = clients.eventBridge || sdkCallerFactory('@aws-sdk/client-eventbridge', 'EventBridgeClient');
  const lambdaFor = clients.lambda || sdkCallerFactory('@aws-sdk/client-lambda', 'LambdaClient');

  // The statement ID lower-cases the rule name, as the framework's does.
  function permissionOf(environment, rule) {
    const { partition, region, accountId } = environment;
    const bus = eventBusName(rule.EventBus);
    // A rule on the default bus has no bus in its ARN. The framework puts
    // `default/` into it, so its statement never matches that rule's ARN.
    const rulePath = bus && bus !== 'default' ? `${bus}/${rule.RuleName}` : rule.RuleName;
    return {
      functionName: rule.functionName,
      statementId: statementId(rule.functionName, rule.RuleName.toLowerCase().replace(/[.:*]/g, '')),
      principal: 'events.amazonaws.com',
      sourceArn: `arn:${partition}:events:${region}:${accountId}:rule/${rulePath}`,
    };
  }

  async function putRule(events, environment, rule) {
    const input = { Name: rule.RuleName, EventBusName: eventBusName(rule.EventBus) };
    if (rule.Pattern !== undefined) input.EventPattern = JSON.stringify(rule.Pattern);
    if (rule.Schedule !== undefined) input.ScheduleExpression = rule.Schedule;
    if (rule.State !== undefined) input.State = rule.State;
    await events('PutRule', input);

    // Putting a target with an existing ID replaces it whole.
    const target = { Id: targetId(rule.RuleName), Arn: functionArn(environment, rule.functionName) };
    if (rule.Input) target.Input = JSON.stringify(rule.Input);
    else if (rule.InputPath) target.InputPath = rule.InputPath;
    else if (rule.InputTransformer) target.InputTransformer = rule.InputTransformer;
    const result = await events('PutTargets', {
      Rule: rule.RuleName,
      EventBusName: eventBusName(rule.EventBus),
      Targets: [target],
    });
    // PutTargets reports refused targets in its answer, not as an error.
    if (result && result.FailedEntryCount > 0) {
      const failures = (result.FailedEntries || []).map((entry) => `${entry.ErrorCode}: ${entry.ErrorMessage}`);
      throw new Error(`EventBridge refused the target of rule ${rule.RuleName}: ${failures.join('; ')}`);
    }
  }

  async function subscribe(environment, rule) {
    const events = eventBridgeFor(environment.region);
    await allowInvoke(lambdaFor(environment.region), permissionOf(environment, rule));
    if (ownsEventBus(rule.EventBus)) {
      try {
        await events('CreateEventBus', { Name: rule.EventBus });
      } catch (error) {
        // Another function's rule on the same bus created it already.
        if (!isAwsError(error, 'ResourceAlreadyExistsException')) throw error;
      }
    }
    await putRule(events, environment, rule);
  }

  // unsubscribe removes what subscribe made, in the framework's order:
  // permission, target, rule, bus. What is already gone is fine. `keep`
  // names the parts an Update still uses under the same names.
  async function unsubscribe(environment, rule, keep = {}) {
    const events = eventBridgeFor(environment.region);
    const ignoreMissing = (error) => {
      if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
    };
    if (!keep.permission) {
      await revokeInvoke(lambdaFor(environment.region), permissionOf(environment, rule));
    }
    const EventBusName = eventBusName(rule.EventBus);
    if (!keep.rule) {
      await events('RemoveTargets', { Rule: rule.RuleName, EventBusName, Ids: [targetId(rule.RuleName)] }).catch(
        ignoreMissing
      );
      await events('DeleteRule', { Name: rule.RuleName, EventBusName }).catch(ignoreMissing);
    }
    if (!keep.eventBus && ownsEventBus(rule.EventBus)) {
      await events('DeleteEventBus', { Name: rule.EventBus }).catch(ignoreMissing);
    }
  }

  const operations = {
    async Create(event, context) {
      await subscribe(environmentOf(context), subscriptionOf(event.ResourceProperties));
    },
    async Update(event, context) {
      const environment = environmentOf(context);
      const rule = subscriptionOf(event.ResourceProperties);
      const previous = event.OldResourceProperties ? subscriptionOf(event.OldResourceProperties) : rule;
      if (sameRule(previous, rule)) {
        // As the framework: the permission and bus stay, rule and target are put again.
        await putRule(eventBridgeFor(environment.region), environment, rule);
        return;
      }
      // The framework would leave the old rule behind, still invoking the
      // old function; this moves the subscription instead. The old bus is
      // kept: other rules of the stack may still be on it.
      await subscribe(environment, rule);
      const oldPermission = permissionOf(environment, previous);
      const newPermission = permissionOf(environment, rule);
      await unsubscribe(environment, previous, {
        permission:
          oldPermission.functionName === newPermission.functionName &&
          oldPermission.statementId === newPermission.statementId,
        rule: previous.RuleName === rule.RuleName && eventBusName(previous.EventBus) === eventBusName(rule.EventBus),
        eventBus: true,
      });
    },
    async Delete(event, context) {
      const { FunctionName, EventBridgeConfig } = event.ResourceProperties || {};
      // A Create refused for missing properties made nothing to remove.
      if (!FunctionName || !EventBridgeConfig || !EventBridgeConfig.RuleName) return;
      await unsubscribe(environmentOf(context), subscriptionOf(event.ResourceProperties));
    },
  };

  return customResourceHandler({ physicalResourceId: PHYSICAL_RESOURCE_ID, operations, request });
}

module.exports = {
  PHYSICAL_RESOURCE_ID,
  createHandler,
  eventBusName,
  handler: createHandler(),
  ownsEventBus,
  targetId,
};
