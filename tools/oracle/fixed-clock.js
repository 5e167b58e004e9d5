'use strict';

// Preloaded (node --require) into every oracle run so that packaging is
// deterministic. The Serverless Framework stamps the wall clock into the
// template (Lambda Code.S3Key "serverless/<svc>/<stage>/<ms>-<iso>/<svc>.zip")
// and into serverless.instanceId (used for API Gateway deployment IDs). With
// a frozen clock plugin.json and base.json of one case agree byte for byte on
// those values, and re-running the oracle does not churn the fixtures.
//
// Only "now" is frozen: `new Date()` / `Date()` / `Date.now()`. Dates built
// from explicit arguments behave normally, and `instanceof Date` still works
// for dates created anywhere (the Proxy keeps the real prototype).

const FIXED_MS = Number(process.env.ORACLE_FIXED_TIME_MS || Date.UTC(2024, 0, 1, 0, 0, 0));
const RealDate = Date;

RealDate.now = () => FIXED_MS;

global.Date = new Proxy(RealDate, {
  construct(target, args, newTarget) {
    if (args.length === 0) return Reflect.construct(target, [FIXED_MS], newTarget);
    return Reflect.construct(target, args, newTarget);
  },
  apply() {
    return new RealDate(FIXED_MS).toString();
  },
});
