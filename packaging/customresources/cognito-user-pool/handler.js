'use strict';

// Custom::CognitoUserPool — gives a function triggers of a Cognito user pool
// that already exists (`events: - cognitoUserPool: { pool, trigger,
// existing: true }`).
//
// Properties: FunctionName, UserPoolName and UserPoolConfigs, a list of
// { Trigger } or, for the custom sender triggers, { Trigger, LambdaVersion,
// KMSKeyID }. The handler finds the pool by name, lets Cognito invoke the
// function, and writes the triggers into the pool's LambdaConfig: the
// function's previous triggers are taken out first, the other functions'
// stay. The permission's statement ID is the Serverless Framework's, so each
// handler recognises what the other added.

const {
  customResourceHandler,
  environmentOf,
  functionArn,
  isAwsError,
  sdkCallerFactory,
} = require('../lib/custom-resource');
const { allowInvoke, revokeInvoke } = require('../lib/lambda-permission');

// The framework's PhysicalResourceId for every Custom::CognitoUserPool resource.
const PHYSICAL_RESOURCE_ID = 'CustomResourceExistingCognitoUserPool';

const SENDER_TRIGGERS = ['CustomSMSSender', 'CustomEmailSender'];

// UPDATABLE are the settings UpdateUserPool takes that DescribeUserPool
// returns. UpdateUserPool resets every setting it is not given, so all of
// them are passed back unchanged, with the new LambdaConfig.
const UPDATABLE = [
  'Policies',
  'DeletionProtection',
  'AutoVerifiedAttributes',
  'SmsVerificationMessage',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'VerificationMessageTemplate',
  'SmsAuthenticationMessage',
  'UserAttributeUpdateSettings',
  'MfaConfiguration',
  'DeviceConfiguration',
  'EmailConfiguration',
  'SmsConfiguration',
  'UserPoolTags',
  'AdminCreateUserConfig',
  'UserPoolAddOns',
  'AccountRecoverySetting',
  'UserPoolTier',
];

// statementId is the framework's: `<function>-<pool name lower-cased,
// without . : * and spaces>`, cut to Lambda's 100 characters.
function statementId(functionName, userPoolName) {
  const pool = userPoolName.toLowerCase().replace(/[.:*\s]/g, '');
  return `${functionName}-${pool}`.slice(0, 100);
}

// withoutFunction is the LambdaConfig without the function's triggers; the
// KMS key goes too when no custom sender trigger is left.
function withoutFunction(lambdaConfig, lambdaArn) {
  const kept = {};
  for (const [trigger, target] of Object.entries(lambdaConfig || {})) {
    const arn = target && typeof target === 'object' ? target.LambdaArn : target;
    if (arn !== lambdaArn) kept[trigger] = target;
  }
  if ('KMSKeyID' in kept && !SENDER_TRIGGERS.some((trigger) => trigger in kept)) delete kept.KMSKeyID;
  return kept;
}

// withTriggers adds the triggers of UserPoolConfigs for the function.
function withTriggers(lambdaConfig, lambdaArn, userPoolConfigs) {
  const config = { ...lambdaConfig };
  for (const { Trigger, LambdaVersion, KMSKeyID } of userPoolConfigs || []) {
    if (SENDER_TRIGGERS.includes(Trigger)) {
      config[Trigger] = { LambdaArn: lambdaArn, LambdaVersion: LambdaVersion || 'V1_0' };
      config.KMSKeyID = KMSKeyID;
    } else {
      config[Trigger] = lambdaArn;
    }
  }
  return config;
}

// updateInput is UpdateUserPool's input: the pool's settings as they are,
// with lambdaConfig. The deprecated UnusedAccountValidityDays, which
// UpdateUserPool refuses beside the password policy's
// TemporaryPasswordValidityDays, moves there, as the framework's handler does.
function updateInput(poolId, userPool, lambdaConfig) {
  const input = { UserPoolId: poolId, LambdaConfig: lambdaConfig };
  for (const key of UPDATABLE) {
    if (userPool[key] !== undefined) input[key] = JSON.parse(JSON.stringify(userPool[key]));
  }
  const admin = input.AdminCreateUserConfig;
  if (admin && admin.UnusedAccountValidityDays !== undefined) {
    const passwordPolicy = input.Policies && input.Policies.PasswordPolicy;
    if (passwordPolicy && passwordPolicy.TemporaryPasswordValidityDays === undefined) {
      passwordPolicy.TemporaryPasswordValidityDays = admin.UnusedAccountValidityDays;
    }
    delete admin.UnusedAccountValidityDays;
  }
  return input;
}

// createHandler builds the handler; `clients` replaces the AWS SDK clients
// ({ cognito, lambda }: region => (operation, input) => Promise) in tests.
function createHandler({ clients = {}, request } = {}) {
  const cognitoFor =
    clients.cognito || sdkCallerFactory('@aws-sdk/client-cognito-identity-provider', 'CognitoIdentityProviderClient');
  const lambdaFor = clients.lambda || sdkCallerFactory('@aws-sdk/client-lambda', 'LambdaClient');

  // findPool is the first pool with the name, or null.
  async function findPool(cognito, name) {
    let nextToken;
    do {
      const page = await cognito('ListUserPools', { MaxResults: 60, NextToken: nextToken });
      const pool = (page.UserPools || []).find((p) => p.Name === name);
      if (pool) return pool;
      nextToken = page.NextToken;
    } while (nextToken);
    return null;
  }

  // rewrite gives the pool's LambdaConfig the function's triggers (none
  // when configs is empty) in place of those it had.
  async function rewrite(cognito, poolId, lambdaArn, configs) {
    const { UserPool: userPool } = await cognito('DescribeUserPool', { UserPoolId: poolId });
    const lambdaConfig = withTriggers(withoutFunction(userPool.LambdaConfig, lambdaArn), lambdaArn, configs);
    await cognito('UpdateUserPool', updateInput(poolId, userPool, lambdaConfig));
  }

  function permission(environment, functionName, userPoolName, poolId) {
    const { partition, region, accountId } = environment;
    return {
      functionName,
      principal: 'cognito-idp.amazonaws.com',
      statementId: statementId(functionName, userPoolName),
      sourceArn: `arn:${partition}:cognito-idp:${region}:${accountId}:userpool/${poolId}`,
    };
  }

  async function attach(environment, properties) {
    const { FunctionName, UserPoolName, UserPoolConfigs } = properties;
    const cognito = cognitoFor(environment.region);
    const pool = await findPool(cognito, UserPoolName);
    if (!pool) throw new Error(`No Cognito user pool named "${UserPoolName}" in ${environment.region}`);
    await allowInvoke(lambdaFor(environment.region), permission(environment, FunctionName, UserPoolName, pool.Id));
    await rewrite(cognito, pool.Id, functionArn(environment, FunctionName), UserPoolConfigs);
  }

  // detach takes the function's triggers and permission off the pool; a
  // pool or permission already gone is fine.
  async function detach(environment, properties) {
    const { FunctionName, UserPoolName } = properties;
    const cognito = cognitoFor(environment.region);
    const pool = await findPool(cognito, UserPoolName);
    if (pool) await rewrite(cognito, pool.Id, functionArn(environment, FunctionName), []);
    await revokeInvoke(lambdaFor(environment.region), {
      functionName: FunctionName,
      statementId: statementId(FunctionName, UserPoolName),
    });
  }

  const operations = {
    async Create(event, context) {
      await attach(environmentOf(context), event.ResourceProperties);
    },
    async Update(event, context) {
      const environment = environmentOf(context);
      const old = event.OldResourceProperties || {};
      const now = event.ResourceProperties;
      // Another pool or function: the old one loses the triggers.
      if (old.UserPoolName && (old.UserPoolName !== now.UserPoolName || old.FunctionName !== now.FunctionName)) {
        await detach(environment, old);
      }
      await attach(environment, now);
    },
    async Delete(event, context) {
      try {
        await detach(environmentOf(context), event.ResourceProperties);
      } catch (error) {
        if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
      }
    },
  };

  return customResourceHandler({ physicalResourceId: PHYSICAL_RESOURCE_ID, operations, request });
}

module.exports = {
  PHYSICAL_RESOURCE_ID,
  createHandler,
  statementId,
  updateInput,
  withTriggers,
  withoutFunction,
  handler: createHandler(),
};
