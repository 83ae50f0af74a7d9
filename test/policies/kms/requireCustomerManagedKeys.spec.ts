import { expect } from "chai";
import { requireCustomerManagedKeys } from "../../../policies/rules/kms/requireCustomerManagedKeys";
import { Unknown } from "../../../tools/offline/values";
import { messages, resource, stackConfig } from "../check";
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
            `aws:cloudwatch/logGroup:LogGroup "logs" uses the KMS key ${FOREIGN}, which is not a key of this stack. Use one of the stack's customer-managed keys (rotated, with a reviewed key policy), or list the key's ARN in allowedKeyArnPatterns of the stack's policy config if it is a reviewed central key.`,
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
                resource("aws:kinesis/stream:Stream", "s", { kmsKeyId: FOREIGN }),
            ]),
        ).to.deep.equal([]);
    });

    it("follows SNS topics, SQS queues, ECR repositories and replicated RDS backups to their keys", async () => {
        const foreign = (type: string, name: string) =>
            `${type} "${name}" uses the KMS key ${FOREIGN}, which is not a key of this stack. Use one of the stack's customer-managed keys (rotated, with a reviewed key policy), or list the key's ARN in allowedKeyArnPatterns of the stack's policy config if it is a reviewed central key.`;
        expect(
            await messages(requireCustomerManagedKeys, [
                resource("aws:sns/topic:Topic", "t", { kmsMasterKeyId: FOREIGN }),
                resource("aws:sqs/queue:Queue", "q", { kmsMasterKeyId: FOREIGN }),
                resource("aws:ecr/repository:Repository", "r", { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: FOREIGN }] }),
                resource("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", "b", { kmsKeyId: FOREIGN }),
            ]),
        ).to.deep.equal([
            foreign("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", "b"),
            foreign("aws:sns/topic:Topic", "t"),
            foreign("aws:sqs/queue:Queue", "q"),
            foreign("aws:ecr/repository:Repository", "r"),
        ]);
    });

    describe("resources that must name a key", () => {
        const storageClass = (parameters: Record<string, unknown>, provisioner = "ebs.csi.aws.com") =>
            resource("kubernetes:storage.k8s.io/v1:StorageClass", "gp3", { provisioner, parameters: { type: "gp3", ...parameters } });
        const SC = 'kubernetes:storage.k8s.io/v1:StorageClass "gp3"';
        it("passes an encrypted EBS StorageClass on a key of the stack, and other provisioners", async () => {
            expect(await messages(requireCustomerManagedKeys, [key, storageClass({ encrypted: "true", kmsKeyId: KEY_ARN })])).to.deep.equal([]);
            expect(await messages(requireCustomerManagedKeys, [storageClass({}, "efs.csi.aws.com")])).to.deep.equal([]);
        });
        it("fails an EBS StorageClass that does not encrypt, the in-tree provisioner too", async () => {
            const message = `${SC} provisions unencrypted EBS volumes (parameters.encrypted is not "true"). Set parameters.encrypted: "true" and parameters.kmsKeyId to the stack's cluster key ARN.`;
            expect(await messages(requireCustomerManagedKeys, [key, storageClass({ kmsKeyId: KEY_ARN })])).to.deep.equal([message]);
            expect(await messages(requireCustomerManagedKeys, [key, storageClass({ encrypted: "false", kmsKeyId: KEY_ARN })])).to.deep.equal([message]);
            expect(await messages(requireCustomerManagedKeys, [storageClass({}, "kubernetes.io/aws-ebs")])).to.deep.equal([message]);
        });
        it("fails an encrypted EBS StorageClass without a kmsKeyId (the account's default key)", async () => {
            expect(await messages(requireCustomerManagedKeys, [storageClass({ encrypted: "true" })])).to.deep.equal([
                `${SC} encrypts its EBS volumes with the account's default key (no parameters.kmsKeyId), which the AWS-managed aws/ebs is unless someone changed it. Set parameters.kmsKeyId to the stack's cluster key ARN.`,
            ]);
        });
        it("fails replicated RDS backups without a kmsKeyId, and judges an unknown one at deployment", async () => {
            const replication = (props: Record<string, unknown>) =>
                resource("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", "b", { sourceDbInstanceArn: "arn:db", ...props });
            expect(await messages(requireCustomerManagedKeys, [replication({})])).to.deep.equal([
                `aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication "b" replicates the database's backups without kmsKeyId, so RDS has no key to encrypt the copies with in the other region. Set kmsKeyId to the stack's backups key of that region.`,
            ]);
            expect(await messages(requireCustomerManagedKeys, [key, replication({ kmsKeyId: Unknown.instance })])).to.deep.equal([]);
        });
    });

    describe("allowedKeyArnPatterns (central and cross-account keys)", () => {
        const CENTRAL = "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        const allow = (...patterns: unknown[]) => ({ "platform-kms-key-customer-managed": { allowedKeyArnPatterns: patterns } });

        it("passes every kind of reference to a key whose ARN matches a pattern", async () => {
            expect(await messages(requireCustomerManagedKeys, referencing(CENTRAL), allow("arn:aws:kms:eu-west-1:111122223333:key/*"))).to.deep.equal([]);
            expect(await messages(requireCustomerManagedKeys, referencing(CENTRAL), allow("arn:aws:kms:*:111122223333:key/0f1e2d3c-*"))).to.deep.equal([]);
            expect(await messages(requireCustomerManagedKeys, referencing(CENTRAL), allow(CENTRAL))).to.deep.equal([]);
        });
        it("still flags a key that matches no pattern: another account, another key, another region", async () => {
            for (const pattern of [
                "arn:aws:kms:eu-west-1:444455556666:key/*",
                "arn:aws:kms:eu-west-1:111122223333:key/other-*",
                "arn:aws:kms:us-east-1:111122223333:key/*",
                "arn:aws:kms:eu-west-1:111122223333:alias/*",
            ]) {
                expect(await messages(requireCustomerManagedKeys, referencing(CENTRAL), allow(pattern)), pattern).to.have.length(10);
            }
        });
        it("never lets a wildcard cross the colons between ARN parts (IAM ArnLike)", async () => {
            const crafted = "arn:aws:kms:eu-west-1:111122223333:key/x:arn:aws:kms:eu-west-1:999999999999:key/evil";
            expect(await messages(requireCustomerManagedKeys, referencing(crafted), allow("arn:aws:kms:eu-west-1:111122223333:key/*"))).to.have.length(10);
        });
        it("reports a malformed pattern once, ignores it, and still judges the references", async () => {
            for (const pattern of ["*", "arn:aws:kms:eu-west-1:*:key/*", "arn:aws:s3:::bucket/*", "111122223333", 42]) {
                const found = await messages(requireCustomerManagedKeys, referencing(CENTRAL), allow(pattern));
                expect(found[0], String(pattern)).to.equal(
                    `The policy config's allowedKeyArnPatterns has ${JSON.stringify(pattern)}, which is not a KMS key ARN pattern and is ignored. Write arn:<partition>:kms:<region>:<12-digit account>:key/<id> (or alias/<name>), with * or ? only inside the partition, region and id.`,
                );
                expect(found.slice(1), String(pattern)).to.have.length(10);
            }
        });
        it("does not turn an AWS-managed key on a StorageClass into an allowed one", async () => {
            const managed = "arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs";
            const storageClass = referencing(managed).filter((r) => r.type.endsWith(":StorageClass"));
            expect(await messages(requireCustomerManagedKeys, storageClass, allow("arn:aws:kms:eu-west-1:111122223333:alias/*"))).to.have.length(1);
        });
        it("declares the property with an empty default, and both stacks' generated policy config carry it", () => {
            const schema = requireCustomerManagedKeys.policy.configSchema?.properties?.allowedKeyArnPatterns as { default?: unknown } | undefined;
            expect(schema?.default).to.deep.equal([]);
            for (const stack of ["dev", "prod"] as const) {
                expect(stackConfig(requireCustomerManagedKeys, stack)["platform-kms-key-customer-managed"]).to.deep.include({ allowedKeyArnPatterns: [] });
            }
        });
    });
});
