import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../../tools/plan";
import type { Plan } from "../../harness";
import { T, dataResources, nodeSecurityGroupId, prodPlan, secretValue, variantPlan } from "./plans";

describe("data tier", () => {
    let prod: Plan;
    let variant: Plan;
    before(async () => {
        prod = await prodPlan();
        variant = await variantPlan();
    });

    it("nothing is reachable from outside the VPC: no public instance, no CIDR in any rule, no public bucket", () => {
        for (const plan of [prod, variant]) {
            const data = dataResources(plan);
            for (const rule of data.filter((r) => r.type === T.ingress || r.type === T.egress)) {
                expect(rule.inputs, rule.name).to.not.have.any.keys("cidrIpv4", "cidrIpv6", "prefixListId");
                expect(rule.inputs.referencedSecurityGroupId, rule.name).to.be.a("string");
            }
            for (const group of data.filter((r) => r.type === T.securityGroup)) {
                expect(group.inputs.ingress ?? [], group.name).to.deep.equal([]);
                expect(group.inputs.egress ?? [], group.name).to.deep.equal([]);
            }
            for (const db of data.filter((r) => r.type === T.instance)) {
                expect(db.inputs.publiclyAccessible, db.name).to.equal(false);
            }
            const buckets = data.filter((r) => r.type === T.bucket).map((b) => b.outputs.bucket);
            const blocked = data.filter((r) => r.type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").map((b) => b.inputs.bucket);
            expect(blocked).to.have.members(buckets);
        }
    });

    it("only the EKS nodes (and the proxy, when there is one) may connect to the database and the cache", () => {
        for (const plan of [prod, variant]) {
            const proxyGroups = plan.ofType(T.proxy).flatMap((p) => p.inputs.vpcSecurityGroupIds as string[]);
            const sources = dataResources(plan)
                .filter((r) => r.type === T.ingress)
                .map((r) => r.inputs.referencedSecurityGroupId);
            expect(new Set(sources)).to.deep.equal(new Set([nodeSecurityGroupId(plan), ...proxyGroups]));
        }
    });

    it("every resource goes through an explicit provider: the stack's, or the replica region's for the replica", () => {
        for (const resource of dataResources(prod).filter((r) => r.custom)) {
            const provider = prod.ofType("pulumi:providers:aws").find((p) => resource.provider?.startsWith(`${p.urn}::`));
            if (resource.type.startsWith("random:")) {
                continue;
            }
            // The replicas' keys, buckets and the automated-backups replication live in the replica region; IAM,
            // the S3 replication rule (on the source bucket) and the EventBridge rule (RDS events) at home.
            const inReplicaRegion =
                (resource.name.startsWith("data-backups-replica-") && !/-role|-replication$/.test(resource.name)) ||
                /^data-postgres-backup-replication-(key|key-alias|replication)$/.test(resource.name);
            expect(provider?.name, resource.name).to.equal(inReplicaRegion ? "aws-backup-replica" : "aws");
        }
    });

    it("the plan JSON shows the AUTH token only as [secret], and holds no master password at all", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "data-plan-")), "prod.json");
        const status = await main(["--stack", "prod", "--json", file], () => undefined);
        expect(status).to.equal(0);
        const text = fs.readFileSync(file, "utf8");
        const doc = JSON.parse(text) as {
            outputs: Record<string, unknown>;
            steps: { newState: { type: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> } }[];
        };

        const token = String(secretValue(prod.get(T.password, "data-redis-auth-token").outputs.result));
        expect(text).to.not.include(token);

        // The master password never enters the program: no output, no Secret of it (the operator syncs it in the cluster).
        expect(doc.outputs).to.include({ cacheAuthToken: "[secret]" });
        expect(doc.outputs).to.not.have.property("databasePassword");
        const state = (type: string) => doc.steps.find((s) => s.newState.type === type)?.newState;
        expect(state(T.password)?.outputs).to.include({ result: "[secret]", bcryptHash: "[secret]" });
        expect(state(T.replicationGroup)?.inputs.authToken).to.equal("[secret]");
        expect(state(T.replicationGroup)?.outputs.authToken).to.equal("[secret]");
    });
});
