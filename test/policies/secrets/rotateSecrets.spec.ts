import { expect } from "chai";
import { rotateSecrets, scheduleIntervalDays } from "../../../policies/rules/secrets/rotateSecrets";
import type { PolicyInput } from "../../../tools/offline/policyRunner";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, stackConfig, withValue } from "../check";
import { secret, secretRotation } from "../fixtures";

const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const SECRET_ARN = secretRotation.secretId;

/** The secret `app` (named by ARN and name in its state). */
const app = resource(SECRET, "app", { ...secret, name: "app", arn: SECRET_ARN });
/** A rotation of `app`: by dependency (its secretId unknown during preview, as for a new secret) or by ARN. */
function rotation(props: Record<string, unknown> = secretRotation, byDependency = false): PolicyInput {
    return byDependency
        ? resource(ROTATION, "app-rotation", { ...props, secretId: Unknown.instance }, { propertyDependencies: { secretId: [app.urn] } })
        : resource(ROTATION, "app-rotation", props);
}
const run = (resources: PolicyInput[], stack: "dev" | "prod" = "prod") => messages(rotateSecrets, resources, stackConfig(rotateSecrets, stack));
const NEVER = `${SECRET} "app" never rotates: no aws.secretsmanager.SecretRotation names it. Add a SecretRotation with secretId set to this secret, a rotation function (rotationLambdaArn) and rotationRules.automaticallyAfterDays of at most 90; list it in exemptSecrets only if a third party issues its value.`;

describe("policy platform-secrets-secret-rotation (X-09)", () => {
    it("passes a secret rotated every 30 days, joined by the secretId's dependency or by ARN", async () => {
        expect(await run([app, rotation(secretRotation, true)])).to.deep.equal([]);
        expect(await run([app, rotation()])).to.deep.equal([]);
        expect(await run([app, rotation({ ...secretRotation, secretId: "app" })]), "by name").to.deep.equal([]);
    });
    it("fails a secret no SecretRotation names (prod mandatory, dev advisory)", async () => {
        expect(await run([app])).to.deep.equal([NEVER]);
        expect(
            await run([app, resource(ROTATION, "other", { ...secretRotation, secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:other-xYz" })]),
        ).to.deep.equal([NEVER]);
        const found = await messages(rotateSecrets, [app], stackConfig(rotateSecrets, "dev"));
        expect(found).to.deep.equal([NEVER]);
        expect(rotateSecrets.levels).to.deep.equal({ prod: "mandatory", dev: "advisory" });
    });
    it("fails a rotation beyond 90 days, by automaticallyAfterDays or schedule", async () => {
        expect(await run([app, rotation(withValue(secretRotation, "rotationRules.automaticallyAfterDays", 180), true)])).to.deep.equal([
            `${ROTATION} "app-rotation" rotates ${SECRET} "app" only every 180 days (automaticallyAfterDays: 180). Rotate at least every 90 days: set rotationRules.automaticallyAfterDays to 90 or less.`,
        ]);
        expect(await run([app, rotation({ ...secretRotation, rotationRules: { scheduleExpression: "rate(120 days)" } })])).to.deep.equal([
            `${ROTATION} "app-rotation" rotates ${SECRET} "app" only every 120 days (scheduleExpression "rate(120 days)"). Rotate at least every 90 days: set rotationRules.automaticallyAfterDays to 90 or less.`,
        ]);
        expect(await run([app, rotation({ ...secretRotation, rotationRules: { scheduleExpression: "rate(90 days)" } })])).to.deep.equal([]);
        expect(await run([app, rotation({ ...secretRotation, rotationRules: { scheduleExpression: "cron(0 4 1 * ? *)", duration: "3h" } })])).to.deep.equal([]);
    });
    it("fails a cron schedule that does not run every month, and one it cannot read", async () => {
        expect(await run([app, rotation({ ...secretRotation, rotationRules: { scheduleExpression: "cron(0 4 1 1/6 ? *)" } })])).to.deep.equal([
            `${ROTATION} "app-rotation" rotates ${SECRET} "app" on the schedule "cron(0 4 1 1/6 ? *)", which does not run every month, so the pack cannot tell that it rotates every 90 days. Use rotationRules.automaticallyAfterDays (at most 90) or rate(N days).`,
        ]);
        expect(await run([app, rotation({ ...secretRotation, rotationRules: { scheduleExpression: "every week" } })])).to.deep.equal([
            `${ROTATION} "app-rotation" rotates ${SECRET} "app" on the schedule "every week", which is neither a rate() nor a cron() expression, so the pack cannot tell that it rotates every 90 days. Use rotationRules.automaticallyAfterDays (at most 90) or rate(N days).`,
        ]);
    });
    it("reads the longest interval of a schedule", () => {
        expect(scheduleIntervalDays("rate(10 days)")).to.equal(10);
        expect(scheduleIntervalDays("rate(12 hours)")).to.equal(0.5);
        expect(scheduleIntervalDays("cron(0 4 ? * MON *)")).to.equal(31);
        expect(scheduleIntervalDays("cron(0 4 31 * ? *)")).to.equal(62);
        expect(scheduleIntervalDays("cron(0 4 1 *)")).to.match(/six fields/);
    });
    it("fails a rotation without rotationRules (attribute omitted)", async () => {
        expect(await run([app, rotation(withValue(secretRotation, "rotationRules", REMOVE), true)])).to.deep.equal([
            `${ROTATION} "app-rotation" sets no rotation schedule for ${SECRET} "app" (rotationRules.automaticallyAfterDays or rotationRules.scheduleExpression). Set rotationRules.automaticallyAfterDays to at most 90.`,
        ]);
    });
    it("fails a rotation that turns rotation off, also of the secret RDS manages (not a resource of the stack)", async () => {
        const rdsSecret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf";
        expect(await run([resource(ROTATION, "db-rotation", { secretId: rdsSecret, rotationEnabled: false })])).to.deep.equal([
            `${ROTATION} "db-rotation" turns rotation of secret ${rdsSecret} off (rotationEnabled: false). Remove rotationEnabled, and set rotationRules.automaticallyAfterDays to at most 90.`,
        ]);
        expect(await run([resource(ROTATION, "db-rotation", { secretId: rdsSecret, rotationRules: { automaticallyAfterDays: 7 } })])).to.deep.equal([]);
    });
    it("exempts secrets another AWS service manages, and those listed in exemptSecrets", async () => {
        expect(await run([resource(SECRET, "imported", { ...secret, name: "rds!db-1234" })])).to.deep.equal([]);
        expect(await run([resource(SECRET, "imported", { ...secret, tags: { "aws:secretsmanager:owningService": "rds" } })])).to.deep.equal([]);
        const config = { "platform-secrets-secret-rotation": { enforcementLevel: "mandatory" as const, exemptSecrets: ["app"] } };
        expect(await messages(rotateSecrets, [app], config)).to.deep.equal([]);
        expect(
            await messages(rotateSecrets, [resource(SECRET, "partner", { ...secret, name: "partner-api-key" })], {
                ...config,
                "platform-secrets-secret-rotation": { exemptSecrets: ["partner-api-key"] },
            }),
        ).to.deep.equal([]);
    });
    it("takes the limit from maxRotationDays", async () => {
        const config = { "platform-secrets-secret-rotation": { maxRotationDays: 14 } };
        expect(await messages(rotateSecrets, [app, rotation()], config)).to.deep.equal([
            `${ROTATION} "app-rotation" rotates ${SECRET} "app" only every 30 days (automaticallyAfterDays: 30). Rotate at least every 14 days: set rotationRules.automaticallyAfterDays to 14 or less.`,
        ]);
    });
    it("gives the preview's note when the interval is unknown, and calls no secret unrotated while a secretId cannot be resolved", async () => {
        await expectCannotDecide(rotateSecrets, [app, rotation({ ...secretRotation, rotationRules: { automaticallyAfterDays: Unknown.instance } }, true)]);
        await expectCannotDecide(rotateSecrets, [app, rotation({ ...secretRotation, rotationRules: Unknown.instance }, true)]);
        // An unknown secretId without a dependency: cannot tell which secret it rotates.
        expect(await run([app, resource(ROTATION, "r", { ...secretRotation, secretId: Unknown.instance })])).to.deep.equal([]);
    });
});
