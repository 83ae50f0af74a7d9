import { expect } from "chai";
import { declareEksLogGroup } from "../../../policies/rules/logs/declareEksLogGroup";
import { Unknown } from "../../../tools/offline/values";
import { messages, resource } from "../check";
import { eksCluster, KEY_ARN } from "../fixtures";

const cluster = resource("aws:eks/cluster:Cluster", "eks", eksCluster);
const group = (name: unknown) => resource("aws:cloudwatch/logGroup:LogGroup", "eks-logs", { name, retentionInDays: 365, kmsKeyId: KEY_ARN });

describe("policy platform-logs-eks-log-group (X-08)", () => {
    it("passes a cluster whose control plane log group is declared", async () => {
        expect(await messages(declareEksLogGroup, [group("/aws/eks/platform-prod-eks/cluster"), cluster])).to.deep.equal([]);
    });
    it("fails a cluster that logs to a group the stack does not declare", async () => {
        const expected = [
            'aws:eks/cluster:Cluster "eks" sends control plane logs to /aws/eks/platform-prod-eks/cluster, which the stack does not declare, so EKS creates it unencrypted and keeps it forever. Add an aws.cloudwatch.LogGroup named /aws/eks/platform-prod-eks/cluster with retentionInDays and kmsKeyId, and make the cluster depend on it.',
        ];
        expect(await messages(declareEksLogGroup, [cluster])).to.deep.equal(expected);
        expect(await messages(declareEksLogGroup, [group("/aws/eks/other/cluster"), cluster])).to.deep.equal(expected);
    });
    it("does not apply to a cluster without control plane logs, or whose name is unknown or unset", async () => {
        expect(await messages(declareEksLogGroup, [resource("aws:eks/cluster:Cluster", "eks", { ...eksCluster, enabledClusterLogTypes: [] })])).to.deep.equal(
            [],
        );
        expect(await messages(declareEksLogGroup, [resource("aws:eks/cluster:Cluster", "eks", { ...eksCluster, name: Unknown.instance })])).to.deep.equal([]);
        expect(await messages(declareEksLogGroup, [resource("aws:eks/cluster:Cluster", "eks", { ...eksCluster, name: undefined })])).to.deep.equal([]);
    });
    it("ignores a log group whose name is unknown during preview", async () => {
        expect(await messages(declareEksLogGroup, [group(Unknown.instance), cluster])).to.have.length(1);
    });
});
