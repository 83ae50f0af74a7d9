import { expect } from "chai";
import { hardenQueue } from "../../../policies/rules/sqs/hardenQueue";
import { messages, REMOVE, resource, withValue } from "../check";
import { KEY_ARN, sqsQueue } from "../fixtures";

const QUEUE = "aws:sqs/queue:Queue";
const POLICY = "aws:sqs/queuePolicy:QueuePolicy";
const ARN = "arn:aws:sqs:eu-west-1:123456789012:interruptions";

describe("policy platform-sqs-queue-hardening", () => {
    it("passes a queue with SQS-managed encryption or a key of the stack", async () => {
        expect(await messages(hardenQueue, [resource(QUEUE, "q", sqsQueue)])).to.deep.equal([]);
        expect(await messages(hardenQueue, [resource(QUEUE, "q", { name: "q", kmsMasterKeyId: KEY_ARN })])).to.deep.equal([]);
    });
    it("fails an unencrypted queue and the AWS-managed key", async () => {
        expect(await messages(hardenQueue, [resource(QUEUE, "q", withValue(sqsQueue, "sqsManagedSseEnabled", REMOVE))])).to.deep.equal([
            'aws:sqs/queue:Queue "q" is not encrypted at rest. Set kmsMasterKeyId to a key of the stack, or sqsManagedSseEnabled: true.',
        ]);
        expect(await messages(hardenQueue, [resource(QUEUE, "q", { kmsMasterKeyId: "alias/aws/sqs" })])).to.deep.equal([
            'aws:sqs/queue:Queue "q" is encrypted with the AWS-managed key alias/aws/sqs, whose key policy the account cannot narrow. Use a key of the stack or sqsManagedSseEnabled: true.',
        ]);
    });
    it('fails a queue policy that allows every action ("*" or sqs:*), whoever the principal', async () => {
        const every = (Action: unknown) => ({
            policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action, Resource: ARN }] }),
        });
        expect(await messages(hardenQueue, [resource(POLICY, "p", every("sqs:*"))])).to.deep.equal([
            'aws:sqs/queuePolicy:QueuePolicy "p" has a policy statement that allows every action of the queue (sqs:*), purging and deleting it and changing its policy included. Name the actions (sqs:SendMessage for a producer).',
        ]);
        expect(await messages(hardenQueue, [resource(POLICY, "p", every(["sqs:SendMessage", "*"]))])).to.have.length(1);
        const denied = { policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: ARN }] }) };
        expect(await messages(hardenQueue, [resource(POLICY, "p", denied)])).to.deep.equal([]);
    });
    it("fails a queue policy open to anyone, accepts EventBridge narrowed to this account's rules", async () => {
        const open = { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: ARN }] }) };
        expect(await messages(hardenQueue, [resource(POLICY, "p", open)])).to.deep.equal([
            'aws:sqs/queuePolicy:QueuePolicy "p" has a policy statement that allows any principal ("*") to sqs:SendMessage without a condition on the caller\'s account or source. Name this account\'s principals or services, with aws:SourceAccount or aws:SourceArn for services.',
        ]);
        const events = {
            policy: JSON.stringify({
                Statement: [
                    { Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] }, Action: "sqs:SendMessage", Resource: ARN },
                ],
            }),
        };
        expect(await messages(hardenQueue, [resource(POLICY, "p", events)])).to.deep.equal([]);
    });
});
