import { expect } from "chai";
import { boundNodePools } from "../../../policies/rules/k8s/boundNodePools";
import { messages, REMOVE, resource, withValue } from "../check";
import { nodePool } from "../fixtures";

const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";
const d = `${NODE_POOL} "pool"`;
const run = (props: Record<string, unknown>) => messages(boundNodePools, [resource(NODE_POOL, "pool", props)]);

describe("policy platform-karpenter-node-pool-bounds (KARP-01)", () => {
    it("passes the platform's pool: cpu and memory limits, nodes expire; a zero limit is a bound too", async () => {
        expect(await run(nodePool)).to.deep.equal([]);
        expect(await run(withValue(nodePool, "spec.limits.cpu", 0))).to.deep.equal([]);
        expect(await run(withValue(nodePool, "spec.template.spec.expireAfter", REMOVE)), "Karpenter's default is 720h").to.deep.equal([]);
    });

    it("fails a pool without limits, or with either limit missing or empty, naming what is unbounded", async () => {
        expect(await run(withValue(nodePool, "spec.limits", REMOVE))).to.deep.equal([
            `${d} sets no limit on cpu and memory, so Karpenter may launch nodes without bound. Set spec.limits.cpu and spec.limits.memory (platform:karpenter.nodePools cpuLimit and memoryLimitGiB).`,
        ]);
        expect(await run(withValue(nodePool, "spec.limits.memory", REMOVE))).to.deep.equal([
            `${d} sets no limit on memory, so Karpenter may launch nodes without bound. Set spec.limits.memory (platform:karpenter.nodePools cpuLimit and memoryLimitGiB).`,
        ]);
        expect(await run(withValue(nodePool, "spec.limits.cpu", " "))).to.deep.equal([
            `${d} sets no limit on cpu, so Karpenter may launch nodes without bound. Set spec.limits.cpu (platform:karpenter.nodePools cpuLimit and memoryLimitGiB).`,
        ]);
    });

    it("fails nodes that never expire", async () => {
        expect(await run(withValue(nodePool, "spec.template.spec.expireAfter", "Never"))).to.deep.equal([
            `${d} sets spec.template.spec.expireAfter "Never", so its nodes never roll to new AMIs. Set a duration such as "720h" (platform:karpenter.nodePools expireAfter).`,
        ]);
    });

    it("looks at NodePools only, of any version", async () => {
        expect(
            await messages(boundNodePools, [resource("kubernetes:karpenter.sh/v1beta1:NodePool", "old", withValue(nodePool, "spec.limits", REMOVE))]),
        ).to.have.length(1);
        expect(await messages(boundNodePools, [resource("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "c", {})])).to.deep.equal([]);
    });

    it("is mandatory in every stack", () => {
        expect(boundNodePools.levels).to.deep.equal({ prod: "mandatory", dev: "mandatory" });
    });
});
