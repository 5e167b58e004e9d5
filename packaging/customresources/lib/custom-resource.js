'use strict';

// Plumbing shared by the custom-resource handlers: where the function runs
// (partition, region, account), AWS calls through SDK v3 clients that tests
// replace, and the answer to CloudFormation, sent exactly once per request.

const https = require('https');

// Attempts per AWS call; the Serverless Framework's handlers use the same.
const MAX_ATTEMPTS = 8;

// How long before the Lambda's own timeout the handler stops waiting for its
// work and reports FAILED, so that the stack does not wait an hour for an
// answer that never comes.
const DEADLINE_MARGIN_MS = 10000;

// CloudFormation rejects answers longer than 4096 bytes; the reason is the
// only part of ours whose length is not bounded.
const MAX_REASON_LENGTH = 1500;

const RESPONSE_TIMEOUT_MS = 30000;

// environmentOf reads partition, region and account from the ARN the
// function was invoked by, as the framework's handlers do.
function environmentOf(context) {
  const arn = (context && context.invokedFunctionArn) || '';
  const match = /^arn:(aws[\w-]*):lambda:([a-z0-9-]+):(\d+):function:/.exec(arn);
  if (!match) {
    throw new Error(`Cannot read the partition, region and account from the function ARN "${arn}"`);
  }
  return { partition: match[1], region: match[2], accountId: match[3] };
}

function functionArn(environment, functionName) {
  const { partition, region, accountId } = environment;
  return `arn:${partition}:lambda:${region}:${accountId}:function:${functionName}`;
}

// awsCaller wraps one SDK v3 client as a function (operation, input) =>
// output, e.g. call('PutRule', {...}). Handlers only see such functions, so
// tests give them fakes and need neither the SDK nor a network.
function awsCaller(sdk, clientClassName, region) {
  const client = new sdk[clientClassName]({ region, maxAttempts: MAX_ATTEMPTS });
  return (operation, input) => {
    const Command = sdk[`${operation}Command`];
    if (typeof Command !== 'function') {
      throw new Error(`${clientClassName} has no operation ${operation}`);
    }
    return client.send(new Command(input));
  };
}

// sdkCallerFactory returns region => caller for one of the SDK packages the
// Lambda Node.js runtimes include. The package is loaded on first use only.
function sdkCallerFactory(packageName, clientClassName) {
  return (region) => awsCaller(require(packageName), clientClassName, region);
}

// isAwsError tells whether an SDK error is one of the named AWS errors. SDK v3
// sets `name` to the exception's name; older shapes carry `code` or `Code`.
function isAwsError(error, ...names) {
  if (!error) return false;
  return names.some((name) => error.name === name || error.code === name || error.Code === name);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function reasonFor(error, context) {
  const message = (error && error.message) || String(error);
  let reason = message.length > MAX_REASON_LENGTH ? `${message.slice(0, MAX_REASON_LENGTH)}…` : message;
  if (context && context.logStreamName) {
    reason += ` (details in CloudWatch Logs, log stream ${context.logStreamName})`;
  }
  return reason;
}

// responseBody is the JSON answer CloudFormation expects at ResponseURL.
function responseBody(event, physicalResourceId, outcome) {
  return JSON.stringify({
    Status: outcome.status,
    Reason: outcome.reason || '',
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: outcome.data || {},
  });
}

// putResponse PUTs the body to the pre-signed ResponseURL. The empty content
// type is part of the pre-signed request's signature.
function putResponse(responseUrl, body, request = https.request) {
  const url = new URL(responseUrl);
  const options = {
    hostname: url.hostname,
    port: url.port || 443,
    path: `${url.pathname}${url.search}`,
    method: 'PUT',
    headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
  };
  return new Promise((resolve, reject) => {
    const req = request(options, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(res.statusCode);
        else reject(new Error(`CloudFormation answered the response with HTTP ${res.statusCode}`));
      });
      res.on('error', reject);
    });
    req.setTimeout(RESPONSE_TIMEOUT_MS, () => {
      req.destroy(new Error(`No answer to the response within ${RESPONSE_TIMEOUT_MS} ms`));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// customResourceHandler turns operations { Create, Update, Delete }, each
// (event, context) => Promise<data>, into a Lambda handler that always
// answers CloudFormation: SUCCESS with the data, FAILED with the error's
// message, or FAILED shortly before the function would time out.
// physicalResourceId is the framework's fixed ID for the resource type: the
// same on every answer, so CloudFormation never sees a replacement.
function customResourceHandler({ physicalResourceId, operations, request, deadlineMarginMs = DEADLINE_MARGIN_MS }) {
  return async (event, context) => {
    console.log(
      `${event.RequestType} ${event.ResourceType} ${event.LogicalResourceId} in ${event.StackId} (request ${event.RequestId})`
    );
    const operation = Object.prototype.hasOwnProperty.call(operations, event.RequestType)
      ? operations[event.RequestType]
      : null;
    const work = Promise.resolve()
      .then(() => {
        if (!operation) throw new Error(`Unsupported request type "${event.RequestType}"`);
        return operation(event, context);
      })
      .then(
        (data) => ({ status: 'SUCCESS', data: data || {} }),
        (error) => {
          console.error(error);
          return { status: 'FAILED', reason: reasonFor(error, context) };
        }
      );

    let timer;
    const remaining =
      context && typeof context.getRemainingTimeInMillis === 'function'
        ? context.getRemainingTimeInMillis()
        : Infinity;
    const deadline = new Promise((resolve) => {
      if (!Number.isFinite(remaining)) return;
      timer = setTimeout(() => {
        const error = new Error(`${event.RequestType} did not finish before the function's timeout`);
        console.error(error.message);
        resolve({ status: 'FAILED', reason: reasonFor(error, context) });
      }, Math.max(0, remaining - deadlineMarginMs));
    });

    const outcome = await Promise.race([work, deadline]);
    clearTimeout(timer);
    const body = responseBody(event, physicalResourceId, outcome);
    console.log(`Answering ${outcome.status}: ${body}`);
    await putResponse(event.ResponseURL, body, request);
    return outcome;
  };
}

module.exports = {
  MAX_ATTEMPTS,
  awsCaller,
  customResourceHandler,
  environmentOf,
  functionArn,
  isAwsError,
  putResponse,
  responseBody,
  sdkCallerFactory,
  sleep,
};
