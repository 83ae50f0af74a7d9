import { expect } from "chai";
import { hardenTopic } from "../../../policies/rules/sns/hardenTopic";
import { messages, REMOVE, resource, withValue } from "../check";
import { snsTopic, snsTopicPolicy } from "../fixtures";

const TOPIC = "aws:sns/topic:Topic";
const POLICY = "aws:sns/topicPolicy:TopicPolicy";
const ARN = "arn:aws:sns:eu-west-1:123456789012:alarms";
const policyWith = (statement: Record<string, unknown>) => ({ ...snsTopicPolicy, policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) });

describe("policy platform-sns-topic-hardening", () => {
    it("passes an encrypted topic and a policy for this account's alarms", async () => {
        expect(await messages(hardenTopic, [resource(TOPIC, "t", snsTopic), resource(POLICY, "p", snsTopicPolicy)])).to.deep.equal([]);
    });
    it("fails an unencrypted topic, and one under the AWS-managed key", async () => {
        expect(await messages(hardenTopic, [resource(TOPIC, "t", withValue(snsTopic, "kmsMasterKeyId", REMOVE))])).to.deep.equal([
            'aws:sns/topic:Topic "t" is not encrypted at rest. Set kmsMasterKeyId to the stack\'s data key ARN.',
        ]);
        expect(await messages(hardenTopic, [resource(TOPIC, "t", { ...snsTopic, kmsMasterKeyId: "alias/aws/sns" })])).to.deep.equal([
            'aws:sns/topic:Topic "t" is encrypted with the AWS-managed key alias/aws/sns, whose key policy the account cannot narrow. Set kmsMasterKeyId to the stack\'s data key ARN.',
        ]);
    });
    it("fails a policy that lets anyone publish without a condition on the caller", async () => {
        expect(
            await messages(hardenTopic, [resource(POLICY, "p", policyWith({ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: ARN }))]),
        ).to.deep.equal([
            'aws:sns/topicPolicy:TopicPolicy "p" has a policy statement that allows any principal ("*") to sns:Publish without a condition on the caller\'s account or source. Name this account\'s principals or services, with aws:SourceAccount or aws:SourceArn for services.',
        ]);
    });
    it("accepts anyone narrowed to this account's sources", async () => {
        const narrowed = {
            Effect: "Allow",
            Principal: "*",
            Action: "sns:Publish",
            Resource: ARN,
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        };
        expect(await messages(hardenTopic, [resource(POLICY, "p", policyWith(narrowed))])).to.deep.equal([]);
    });
    it("fails a policy that lets another account publish, by id or ARN", async () => {
        for (const principal of ["210987654321", "arn:aws:iam::210987654321:root"]) {
            expect(
                await messages(hardenTopic, [
                    resource(POLICY, "p", policyWith({ Effect: "Allow", Principal: { AWS: principal }, Action: "sns:Publish", Resource: ARN })),
                ]),
            ).to.deep.equal([
                `aws:sns/topicPolicy:TopicPolicy "p" has a policy statement that allows principals of another account (${principal}). Name this account's principals or services, with aws:SourceAccount or aws:SourceArn for services.`,
            ]);
        }
    });
});
