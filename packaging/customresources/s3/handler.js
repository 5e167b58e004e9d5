'use strict';

// Custom::S3 — subscribes a function to an S3 bucket that already exists
// (`events: - s3: { bucket, existing: true }`).
//
// Properties: FunctionName, BucketName and BucketConfigs, a list of
// { Event, Rules: [{ Prefix | Suffix: value }] }. The handler lets S3 invoke
// the function and writes one Lambda notification configuration per entry
// into the bucket's notification configuration, keeping everything else in
// it. The Serverless Framework's handler names each entry
// `<FunctionName>-<md5 hex of the entry's JSON>`; ours does the same, so each
// recognises the other's entries on Update and Delete.

const crypto = require('crypto');
const {
  customResourceHandler,
  environmentOf,
  functionArn,
  isAwsError,
  sdkCallerFactory,
} = require('../lib/custom-resource');
const { allowInvoke, revokeInvoke, statementId } = require('../lib/lambda-permission');

// The framework's PhysicalResourceId for every Custom::S3 resource.
const PHYSICAL_RESOURCE_ID = 'CustomResourceExistingS3';

// notificationId is the framework's ID of a bucket notification entry. The
// JSON is of the entry exactly as CloudFormation passes it in.
function notificationId(functionName, bucketConfig) {
  const digest = crypto.createHash('md5').update(JSON.stringify(bucketConfig)).digest('hex');
  return `${functionName}-${digest}`;
}

// isEntryOf tells whether a Lambda notification entry was written for the
// function by this resource type (ours or the framework's handler). The
// framework matches any ID that merely starts with the function name, which
// also takes the entries of a function whose name extends it (`api` and
// `api-admin`); the exact shape avoids that.
function isEntryOf(functionName, entry) {
  const id = entry && entry.Id;
  if (typeof id !== 'string' || !id.startsWith(`${functionName}-`)) return false;
  return /^[0-9a-f]{32}$/.test(id.slice(functionName.length + 1));
}

function filterOf(bucketConfig) {
  const rules = bucketConfig.Rules || [];
  if (rules.length === 0) return undefined;
  return {
    Key: {
      FilterRules: rules.map((rule) => {
        const [name] = Object.keys(rule);
        return { Name: name.toLowerCase(), Value: rule[name] };
      }),
    },
  };
}

function entriesFor(target, lambdaArn) {
  return (target.bucketConfigs || []).map((bucketConfig) => {
    const entry = {
      Id: notificationId(target.functionName, bucketConfig),
      LambdaFunctionArn: lambdaArn,
      Events: [bucketConfig.Event],
    };
    const filter = filterOf(bucketConfig);
    if (filter) entry.Filter = filter;
    return entry;
  });
}

// withEntries returns the bucket's notification configuration with the
// function's own Lambda entries replaced by `entries`. Topic, queue and
// EventBridge configurations and other functions' entries stay as they are.
function withEntries(current, functionName, entries) {
  const { $metadata, ...configuration } = current || {};
  const kept = (configuration.LambdaFunctionConfigurations || []).filter(
    (entry) => !isEntryOf(functionName, entry)
  );
  configuration.LambdaFunctionConfigurations = [...kept, ...entries];
  return configuration;
}

function targetOf(properties) {
  const { FunctionName, BucketName, BucketConfigs } = properties || {};
  if (!FunctionName || !BucketName) {
    throw new Error('Custom::S3 needs the properties FunctionName and BucketName');
  }
  return { functionName: FunctionName, bucketName: BucketName, bucketConfigs: BucketConfigs || [] };
}

function sameSubscription(a, b) {
  return a.functionName === b.functionName && a.bucketName === b.bucketName;
}

// createHandler builds the handler; `clients` replaces the AWS SDK clients
// ({ s3, lambda }: region => (operation, input) => Promise) in tests.
function createHandler({ clients = {}, request } = {}) {
  const s3For = clients.s3 || sdkCallerFactory('@aws-sdk/client-s3', 'S3Client');
  const lambdaFor = clients.lambda || sdkCallerFactory('@aws-sdk/client-lambda', 'LambdaClient');

  function permissionOf(environment, target) {
    return {
      functionName: target.functionName,
      statementId: statementId(target.functionName, target.bucketName.replace(/[.:*]/g, '')),
      principal: 's3.amazonaws.com',
      sourceArn: `arn:${environment.partition}:s3:::${target.bucketName}`,
      sourceAccount: environment.accountId,
    };
  }

  async function writeEntries(s3, target, entries) {
    const current = await s3('GetBucketNotificationConfiguration', { Bucket: target.bucketName });
    await s3('PutBucketNotificationConfiguration', {
      Bucket: target.bucketName,
      NotificationConfiguration: withEntries(current, target.functionName, entries),
    });
  }

  async function subscribe(environment, target) {
    const s3 = s3For(environment.region);
    const lambda = lambdaFor(environment.region);
    await allowInvoke(lambda, permissionOf(environment, target));
    await writeEntries(s3, target, entriesFor(target, functionArn(environment, target.functionName)));
  }

  // unsubscribe removes the permission and the function's entries. A bucket
  // that no longer exists has nothing left to remove.
  async function unsubscribe(environment, target) {
    const s3 = s3For(environment.region);
    const lambda = lambdaFor(environment.region);
    await revokeInvoke(lambda, permissionOf(environment, target));
    try {
      await writeEntries(s3, target, []);
    } catch (error) {
      if (!isAwsError(error, 'NoSuchBucket')) throw error;
      console.log(`Bucket ${target.bucketName} no longer exists; nothing to remove from it`);
    }
  }

  const operations = {
    async Create(event, context) {
      await subscribe(environmentOf(context), targetOf(event.ResourceProperties));
    },
    async Update(event, context) {
      const environment = environmentOf(context);
      const target = targetOf(event.ResourceProperties);
      const previous = event.OldResourceProperties ? targetOf(event.OldResourceProperties) : target;
      if (sameSubscription(previous, target)) {
        // As the framework: the permission stays, the entries are rewritten.
        const s3 = s3For(environment.region);
        await writeEntries(s3, target, entriesFor(target, functionArn(environment, target.functionName)));
        return;
      }
      // The framework keeps the old bucket's entries and has no permission
      // for the new bucket, so S3 refuses the new entries; move them instead.
      await unsubscribe(environment, previous);
      await subscribe(environment, target);
    },
    async Delete(event, context) {
      const { FunctionName, BucketName } = event.ResourceProperties || {};
      // A Create refused for missing properties subscribed nothing; failing
      // its rollback's Delete too would leave the stack stuck.
      if (!FunctionName || !BucketName) return;
      await unsubscribe(environmentOf(context), targetOf(event.ResourceProperties));
    },
  };

  return customResourceHandler({ physicalResourceId: PHYSICAL_RESOURCE_ID, operations, request });
}

module.exports = {
  PHYSICAL_RESOURCE_ID,
  createHandler,
  handler: createHandler(),
  isEntryOf,
  notificationId,
  withEntries,
};
