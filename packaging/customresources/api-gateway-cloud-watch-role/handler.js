'use strict';

// Custom::ApiGatewayAccountRole — the IAM role API Gateway uses to write
// REST API logs (`provider.logs.restApi` without `roleManagedExternally`).
// The role is a setting of the whole account and region, not of a stack.
//
// On Create, as the Serverless Framework's handler does: the role is the
// RoleArn property when given (`provider.logs.restApi.role`); otherwise the
// account's role `serverlessApiGatewayCloudWatchRole`, created when missing
// and given the AWS managed policy AmazonAPIGatewayPushToCloudWatchLogs.
// The account is then pointed at the role unless it already is. Update and
// Delete change nothing: other stacks of the account may rely on the role.

const {
  customResourceHandler,
  environmentOf,
  isAwsError,
  sdkCallerFactory,
  sleep,
} = require('../lib/custom-resource');

// The framework's PhysicalResourceId for the Custom::ApiGatewayAccountRole resource.
const PHYSICAL_RESOURCE_ID = 'CustomResourceApiGatewayAccountCloudWatchRole';

const ROLE_NAME = 'serverlessApiGatewayCloudWatchRole';

// A role just created is not usable by API Gateway at once, and the refusal
// is not marked retryable; the framework tries the account update 10 times,
// 10 seconds apart, and so does this handler.
const ACCOUNT_UPDATE_ATTEMPTS = 10;
const ACCOUNT_UPDATE_INTERVAL_MS = 10000;

const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: ['apigateway.amazonaws.com'] },
      Action: ['sts:AssumeRole'],
    },
  ],
});

async function attachedPolicyArns(iam, roleName) {
  const arns = [];
  let marker;
  do {
    const page = await iam('ListAttachedRolePolicies', { RoleName: roleName, Marker: marker });
    for (const policy of page.AttachedPolicies || []) arns.push(policy.PolicyArn);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return arns;
}

// createHandler builds the handler; `clients` replaces the AWS SDK clients
// ({ apiGateway, iam }: region => (operation, input) => Promise) and `wait`
// the pause between account updates in tests.
function createHandler({ clients = {}, request, wait = sleep } = {}) {
  const apiGatewayFor = clients.apiGateway || sdkCallerFactory('@aws-sdk/client-api-gateway', 'APIGatewayClient');
  const iamFor = clients.iam || sdkCallerFactory('@aws-sdk/client-iam', 'IAMClient');

  // ensureOwnRole makes the account's serverlessApiGatewayCloudWatchRole
  // exist with the logging policy attached, and returns its ARN.
  async function ensureOwnRole(iam, environment) {
    const { partition, accountId } = environment;
    const policyArn = `arn:${partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`;
    let attached;
    try {
      attached = await attachedPolicyArns(iam, ROLE_NAME);
    } catch (error) {
      if (!isAwsError(error, 'NoSuchEntityException', 'NoSuchEntity')) throw error;
      try {
        await iam('CreateRole', { RoleName: ROLE_NAME, Path: '/', AssumeRolePolicyDocument: TRUST_POLICY });
      } catch (createError) {
        // Another stack's deployment created it in the meantime.
        if (!isAwsError(createError, 'EntityAlreadyExistsException', 'EntityAlreadyExists')) throw createError;
      }
      attached = [];
    }
    if (!attached.includes(policyArn)) {
      await iam('AttachRolePolicy', { RoleName: ROLE_NAME, PolicyArn: policyArn });
    }
    return `arn:${partition}:iam::${accountId}:role/${ROLE_NAME}`;
  }

  async function pointAccountAt(apiGateway, roleArn) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await apiGateway('UpdateAccount', {
          patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: roleArn }],
        });
        return;
      } catch (error) {
        if (attempt >= ACCOUNT_UPDATE_ATTEMPTS) throw error;
        console.log(`Account update attempt ${attempt} failed (${error.message}); trying again`);
        await wait(ACCOUNT_UPDATE_INTERVAL_MS);
      }
    }
  }

  const operations = {
    async Create(event, context) {
      const environment = environmentOf(context);
      const apiGateway = apiGatewayFor(environment.region);
      const account = await apiGateway('GetAccount', {});
      const configuredRoleArn = (event.ResourceProperties || {}).RoleArn;
      const roleArn = configuredRoleArn || (await ensureOwnRole(iamFor(environment.region), environment));
      if (account && account.cloudwatchRoleArn === roleArn) return;
      await pointAccountAt(apiGateway, roleArn);
    },
    async Update() {},
    async Delete() {},
  };

  return customResourceHandler({ physicalResourceId: PHYSICAL_RESOURCE_ID, operations, request });
}

module.exports = {
  PHYSICAL_RESOURCE_ID,
  ROLE_NAME,
  createHandler,
  handler: createHandler(),
};
