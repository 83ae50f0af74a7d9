import { expect } from "chai";
import { requireCustomerManagedKeys } from "../../../policies/rules/kms/requireCustomerManagedKeys";
import { Unknown } from "../../../tools/offline/values";
import { messages, resource } from "../check";
import { eksCluster, KEY_ARN, kmsKey, launchTemplate, rdsInstance, replicationGroup, secret } from "../fixtures";

const key = resource("aws:kms/key:Key", "data-key", { ...kmsKey, arn: KEY_ARN, keyId: "1234abcd-12ab-34cd-56ef-1234567890ab" });
const alias = resource("aws:kms/alias:Alias", "data-alias", {
    name: "alias/platform-data",
    targetKeyId: "1234abcd",
    arn: "arn:aws:kms:eu-west-1:123456789012:alias/platform-data",
});
const FOREIGN = "arn:aws:kms:eu-west-1:999999999999:key/other";
const byDependency = (input: string) => ({ propertyDependencies: { [input]: [key.urn] } });

/** One resource of each type that references a key, referencing `value`. */
function referencing(value: unknown) {
    return [
        resource("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 365, kmsKeyId: value }),
        resource("aws:secretsmanager/secret:Secret", "secret", { ...secret, kmsKeyId: value }),
        resource("aws:rds/instance:Instance", "db", { ...rdsInstance, kmsKeyId: value, performanceInsightsKmsKeyId: value }),
        resource("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { ...replicationGroup, kmsKeyId: value }),
        resource("aws:eks/cluster:Cluster", "eks", { ...eksCluster, encryptionConfig: { resources: ["secrets"], provider: { keyArn: value } } }),
        resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", {
            ...launchTemplate,
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: value } }],
        }),
        resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", {
            bucket: "b",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: value }, bucketKeyEnabled: true }],
        }),
        resource("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "sse-v2", {
            bucket: "b",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: value } }],
        }),
        resource("kubernetes:storage.k8s.io/v1:StorageClass", "gp3", {
            provisioner: "ebs.csi.aws.com",
            parameters: { type: "gp3", encrypted: "true", kmsKeyId: value },
        }),
    ];
}

describe("policy platform-kms-key-customer-managed (X-07)", () => {
    it("passes every kind of reference to a key of the stack, by ARN, key id or alias", async () => {
        expect(await messages(requireCustomerManagedKeys, [key, alias, ...referencing(KEY_ARN)])).to.deep.equal([]);
        expect(await messages(requireCustomerManagedKeys, [key, ...referencing("1234abcd-12ab-34cd-56ef-1234567890ab")])).to.deep.equal([]);
        expect(await messages(requireCustomerManagedKeys, [key, alias, ...referencing("alias/platform-data")])).to.deep.equal([]);
    });
    it("follows property dependencies when the key's ARN is unknown during preview", async () => {
        const resources = [
            resource("aws:cloudwatch/logGroup:LogGroup", "logs", { kmsKeyId: Unknown.instance }, byDependency("kmsKeyId")),
            resource(
                "aws:eks/cluster:Cluster",
                "eks",
                { ...eksCluster, encryptionConfig: { resources: ["secrets"], provider: { keyArn: Unknown.instance } } },
                byDependency("encryptionConfig"),
            ),
        ];
        expect(await messages(requireCustomerManagedKeys, [key, ...resources])).to.deep.equal([]);
    });
    it("does not judge a reference it cannot resolve: unknown without a dependency on a key", async () => {
        expect(await messages(requireCustomerManagedKeys, referencing(Unknown.instance))).to.deep.equal([]);
    });
    it("fails every kind of reference to a key that is not a key of this stack", async () => {
        const found = await messages(requireCustomerManagedKeys, [key, ...referencing(FOREIGN)]);
        expect(found).to.have.length(10);
        expect(found[0]).to.equal(
            `aws:cloudwatch/logGroup:LogGroup "logs" uses the KMS key ${FOREIGN}, which is not a key of this stack. Use one of the stack's customer-managed keys (rotated, with a reviewed key policy).`,
        );
        expect(found.filter((m) => m.startsWith('aws:rds/instance:Instance "db"'))).to.have.length(2);
    });
    it("fails a StorageClass on an AWS-managed key (other types: their own rules report it)", async () => {
        expect(await messages(requireCustomerManagedKeys, referencing("alias/aws/ebs"))).to.deep.equal([
            'kubernetes:storage.k8s.io/v1:StorageClass "gp3" encrypts volumes with the AWS-managed key alias/aws/ebs. Set parameters.kmsKeyId to the stack\'s cluster key ARN.',
        ]);
    });
    it("ignores references that are not set, and other types", async () => {
        expect(
            await messages(requireCustomerManagedKeys, [
                resource("aws:cloudwatch/logGroup:LogGroup", "logs", {}),
                resource("aws:sns/topic:Topic", "t", { kmsMasterKeyId: FOREIGN }),
            ]),
        ).to.deep.equal([]);
    });
});
