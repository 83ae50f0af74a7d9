import { expect } from "chai";
import { readStackFile, stackFilePath } from "../../tools/offline/stackConfig";
import { problems, resolve, itRejects, type RejectedCase } from "./resolve";

const POOLS = "platform:karpenter.nodePools";
const SPOT_ROLE = "platform:karpenter.spotServiceLinkedRole";

/** The dev stack's pools, the first changed by `change`. */
function poolWith(change: Record<string, unknown>, stack: "dev" | "prod" = "dev"): Record<string, unknown>[] {
    const pools = readStackFile(stackFilePath(stack))[POOLS] as Record<string, unknown>[];
    return pools.map((p, i) => (i === 0 ? { ...p, ...change } : p));
}

describe("Karpenter configuration", () => {
    it("a pool's omitted fields get their defaults", () => {
        const pools = [{ name: "apps", cpuLimit: 8, memoryLimitGiB: 32 }];
        expect(resolve("dev", { [POOLS]: pools }).karpenter.nodePools).to.deep.equal([
            {
                name: "apps",
                instanceCategories: ["c", "m", "r"],
                instanceFamilies: [],
                architectures: ["amd64"],
                capacityTypes: ["on-demand"],
                cpuLimit: 8,
                memoryLimitGiB: 32,
                consolidationPolicy: "WhenEmptyOrUnderutilized",
                consolidateAfter: "5m",
                expireAfter: "720h",
                disruptionBudget: "10%",
                diskSizeGiB: 50,
            },
        ]);
    });

    it("dev may run spot only; prod's pool is on-demand with a no-disruption window", () => {
        expect(resolve("dev").karpenter.nodePools[0].capacityTypes).to.deep.equal(["spot"]);
        expect(resolve("prod").karpenter.nodePools[0]).to.deep.include({
            capacityTypes: ["on-demand"],
            noDisruptionWindow: { schedule: "0 7 * * mon-fri", duration: "12h" },
        });
    });

    describe("rejects bad pools with the field named", () => {
        const at = (path: string, problem: string) => `${POOLS}[0]${path}: has the node pool "general" with ${problem}`;
        const cases: RejectedCase[] = [
            [
                "a pool without limits",
                { [POOLS]: poolWith({ cpuLimit: undefined, memoryLimitGiB: undefined }) },
                [
                    at(".cpuLimit", "cpuLimit undefined; expected a whole number of vCPUs from 1 to 2000 (the pool's ceiling, a bound on spend; required)"),
                    at(
                        ".memoryLimitGiB",
                        "memoryLimitGiB undefined; expected a whole number of GiB from 1 to 8000 (the pool's ceiling, a bound on spend; required)",
                    ),
                ],
            ],
            [
                "a limit with an extra zero",
                { [POOLS]: poolWith({ cpuLimit: 16000 }) },
                at(".cpuLimit", "cpuLimit 16000; expected a whole number of vCPUs from 1 to 2000 (the pool's ceiling, a bound on spend; required)"),
            ],
            [
                "less memory than vCPUs",
                { [POOLS]: poolWith({ memoryLimitGiB: 8 }) },
                at(".memoryLimitGiB", "memoryLimitGiB 8 below cpuLimit 16; expected at least 1 GiB per vCPU (no instance of these categories has less)"),
            ],
            [
                "a family outside the pool's categories",
                { [POOLS]: poolWith({ instanceFamilies: ["m6i", "c7i"] }) },
                at(
                    ".instanceFamilies",
                    'the instance family "c7i" of category "c", which is not in instanceCategories ["t","m"]; expected families of those categories, or add "c" to instanceCategories',
                ),
            ],
            [
                "an instance type where a family belongs",
                { [POOLS]: poolWith({ instanceFamilies: ["m6i.large"] }) },
                at(".instanceFamilies", 'the instance family "m6i.large"; expected a family name such as "m7i" or "c6a" (no size: "m7i", not "m7i.large")'),
            ],
            [
                "a Graviton family on an amd64-only pool",
                { [POOLS]: poolWith({ instanceFamilies: ["m7g"] }) },
                at(
                    ".instanceFamilies",
                    'the instance family "m7g", an Arm (Graviton) family, which no architecture of ["amd64"] runs; expected architectures with "arm64" or another family',
                ),
            ],
            [
                "an unknown category",
                { [POOLS]: poolWith({ instanceCategories: ["g"] }) },
                at(".instanceCategories", 'instanceCategories ["g"]; expected a list of distinct values from: c, m, r, t, i, d, x'),
            ],
            [
                "a capacity type in the EKS API's spelling",
                { [POOLS]: poolWith({ capacityTypes: ["SPOT"] }) },
                at(".capacityTypes", 'capacityTypes ["SPOT"]; expected a list of distinct values from: on-demand, spot'),
            ],
            [
                "nodes that never expire",
                { [POOLS]: poolWith({ expireAfter: "Never" }) },
                at(
                    ".expireAfter",
                    'expireAfter "Never"; expected a duration from "1h" to "2160h" such as "720h" (nodes roll to new AMIs; "Never" is not allowed)',
                ),
            ],
            [
                "a budget that is no count or share",
                { [POOLS]: poolWith({ disruptionBudget: "ten" }) },
                at(".disruptionBudget", 'disruptionBudget "ten"; expected a node count such as "1" or a share such as "10%", in quotes'),
            ],
            [
                "a window with a bad cron expression",
                { [POOLS]: poolWith({ noDisruptionWindow: { schedule: "0 7 * *", duration: "8h" } }) },
                at(
                    ".noDisruptionWindow.schedule",
                    'noDisruptionWindow.schedule "0 7 * *", which has 4 fields; expected 5 (minute hour day-of-month month day-of-week, for example "0 3 * * *") or a macro such as @daily',
                ),
            ],
            [
                "a window with a duration in days",
                { [POOLS]: poolWith({ noDisruptionWindow: { schedule: "0 7 * * *", duration: "1d" } }) },
                at(
                    ".noDisruptionWindow",
                    'noDisruptionWindow {"schedule":"0 7 * * *","duration":"1d"}; expected a map {schedule, duration} such as {schedule: "0 8 * * mon-fri", duration: "10h"} (a duration in h and m)',
                ),
            ],
            ["a misspelt field", { [POOLS]: poolWith({ cpuLimits: 4 }) }, at(".cpuLimits", 'the unknown field "cpuLimits"; did you mean "cpuLimit"?')],
            [
                "two pools with one name",
                { [POOLS]: [...poolWith({}), ...poolWith({})] },
                `${POOLS}: has two node pools named "general"; expected distinct names`,
            ],
        ];
        itRejects(cases);
    });

    describe("the EC2 Spot service-linked role", () => {
        it("dev's spot pool creates it; prod, on-demand only, leaves it unused (the default)", () => {
            expect(resolve("dev").karpenter.spotServiceLinkedRole).to.equal("create");
            expect(resolve("prod").karpenter.spotServiceLinkedRole).to.equal("unused");
            expect(resolve("dev", { [SPOT_ROLE]: "exists" }).karpenter.spotServiceLinkedRole).to.equal("exists");
        });

        it("refuses spot pools that say the role is unused, naming every such pool, and a value outside the three", () => {
            const unused = 'is "unused" while the node pool';
            const expected =
                'and EC2 refuses spot launches without AWSServiceRoleForEC2Spot; expected "create" if `aws iam get-role --role-name AWSServiceRoleForEC2Spot` answers NoSuchEntity, else "exists"';
            expect(problems("dev", { [SPOT_ROLE]: "unused" })).to.deep.equal([`${SPOT_ROLE}: ${unused} "general" has spot in capacityTypes, ${expected}`]);
            const two = [...poolWith({}), { name: "batch", cpuLimit: 8, memoryLimitGiB: 32, capacityTypes: ["spot", "on-demand"] }];
            expect(problems("dev", { [SPOT_ROLE]: "unused", [POOLS]: two })).to.deep.equal([
                `${SPOT_ROLE}: ${unused}s "general", "batch" have spot in capacityTypes, ${expected}`,
            ]);
            expect(problems("dev", { [SPOT_ROLE]: "yes" })).to.deep.equal([`${SPOT_ROLE}: "yes" is not allowed; expected one of: create, exists, unused`]);
        });
    });

    describe("prod rules", () => {
        it("refuses a spot-only pool in prod, and accepts spot next to on-demand", () => {
            expect(problems("prod", { [POOLS]: poolWith({ capacityTypes: ["spot"] }, "prod"), [SPOT_ROLE]: "exists" })).to.deep.equal([
                `${POOLS}: has the node pool "general" with capacityTypes ["spot"], which is not allowed in prod; expected "on-demand" among them (spot may be added: a spot reclaim must not leave an application without nodes)`,
            ]);
            expect(
                resolve("prod", { [POOLS]: poolWith({ capacityTypes: ["on-demand", "spot"] }, "prod"), [SPOT_ROLE]: "exists" }).karpenter.nodePools[0]
                    .capacityTypes,
            ).to.have.length(2);
        });

        it("refuses limits below every application's HPA maximum x requests, naming the key and the demand", () => {
            // prod: api 12 x 250m/256Mi and web 12 x 100m/64Mi = 4.2 vCPUs, 3.75 GiB.
            expect(problems("prod", { [POOLS]: poolWith({ cpuLimit: 4, memoryLimitGiB: 4 }, "prod") })).to.deep.equal([
                `${POOLS}: has cpuLimit 4 in all, below the 4.2 vCPUs the applications request at their replicas.max (platform:apps); expected cpuLimit of at least 5 across the pools, plus room for DaemonSets and bin packing`,
            ]);
            expect(problems("prod", { [POOLS]: poolWith({ cpuLimit: 3, memoryLimitGiB: 3 }, "prod") })).to.deep.equal([
                `${POOLS}: has cpuLimit 3 in all, below the 4.2 vCPUs the applications request at their replicas.max (platform:apps); expected cpuLimit of at least 5 across the pools, plus room for DaemonSets and bin packing`,
                `${POOLS}: has memoryLimitGiB 3 in all, below the 3.75 GiB the applications request at their replicas.max (platform:apps); expected memoryLimitGiB of at least 4 across the pools, plus room for DaemonSets and bin packing`,
            ]);
            expect(() => resolve("prod", { [POOLS]: poolWith({ cpuLimit: 5, memoryLimitGiB: 5 }, "prod") })).to.not.throw();
            // dev is not held to it.
            expect(() => resolve("dev", { [POOLS]: poolWith({ cpuLimit: 1, memoryLimitGiB: 1 }) })).to.not.throw();
        });
    });
});
