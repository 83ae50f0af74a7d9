/**
 * The platform's PriorityClasses: ordered as documented (node agents, controllers, observability,
 * applications), valid objects, created once per cluster through the cluster provider, needing nothing
 * but the API.
 */
import { expect } from "chai";
import { priorityClassArgs } from "../../../components/eks/priorityClasses";
import { PRIORITY_CLASSES, SYSTEM_PRIORITY_CLASSES } from "../../../components/priorities";
import { sharedPlan, type Plan } from "../../harness";

/* eslint-disable @typescript-eslint/no-require-imports -- kubernetes-models publishes one module per group version */
const { PriorityClass } = require("kubernetes-models/scheduling.k8s.io/v1") as { PriorityClass: new (o: unknown) => { validate(): void } };

const PRIORITY_CLASS = "kubernetes:scheduling.k8s.io/v1:PriorityClass";
/** Kubernetes refuses user-defined classes above this (HighestUserDefinablePriority). */
const HIGHEST_USER_DEFINABLE = 1_000_000_000;

describe("PriorityClasses (components/priorities.ts, components/eks/priorityClasses.ts)", () => {
    it("are ordered as documented: node agents, then controllers, then observability, then applications", () => {
        const { nodeAgents, platformCritical, observability, applications } = PRIORITY_CLASSES;
        expect(nodeAgents.value).to.be.greaterThan(platformCritical.value);
        expect(platformCritical.value).to.be.greaterThan(observability.value);
        expect(observability.value).to.be.greaterThan(applications.value);
        // "highest first": the declaration order is the order of priority.
        const values = Object.values(PRIORITY_CLASSES).map((c) => c.value);
        expect(values).to.deep.equal([...values].sort((a, b) => b - a));
    });

    it("stay user-definable, below the system classes, and above the 0 of pods without a class", () => {
        for (const c of Object.values(PRIORITY_CLASSES)) {
            expect(c.value, c.name).to.be.at.most(HIGHEST_USER_DEFINABLE).and.greaterThan(0);
            // The system- prefix is reserved for the built-in classes.
            expect(c.name, c.name).to.not.match(/^system-/);
            expect(SYSTEM_PRIORITY_CLASSES as readonly string[]).to.not.include(c.name);
        }
    });

    it("make applications the one default class, and every class may preempt lower ones", () => {
        expect(
            Object.values(PRIORITY_CLASSES)
                .filter((c) => c.globalDefault)
                .map((c) => c.name),
        ).to.deep.equal([PRIORITY_CLASSES.applications.name]);
        for (const c of Object.values(PRIORITY_CLASSES)) {
            expect(c.preemptionPolicy, c.name).to.equal("PreemptLowerPriority");
        }
    });

    it("are valid PriorityClass objects", () => {
        for (const c of Object.values(PRIORITY_CLASSES)) {
            const args = priorityClassArgs(c);
            expect(() => new PriorityClass({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", ...args }).validate(), c.name).to.not.throw();
            expect(args).to.deep.include({ value: c.value, description: c.description, globalDefault: c.globalDefault, preemptionPolicy: c.preemptionPolicy });
        }
    });

    for (const stack of ["dev", "prod"] as const) {
        describe(`in the ${stack} plan`, () => {
            let plan: Plan;
            before(async () => {
                plan = await sharedPlan(stack);
            });

            it("exist once each, through the cluster's Kubernetes provider", () => {
                const created = plan.ofType(PRIORITY_CLASS);
                expect(created.map((r) => (r.inputs.metadata as { name: string }).name)).to.have.members(Object.values(PRIORITY_CLASSES).map((c) => c.name));
                for (const r of created) {
                    expect(plan.providerOf(r)?.type, r.name).to.equal("pulumi:providers:kubernetes");
                    const name = (r.inputs.metadata as { name: string }).name;
                    const c = Object.values(PRIORITY_CLASSES).find((p) => p.name === name)!;
                    expect(r.inputs).to.deep.include({ value: c.value, globalDefault: c.globalDefault, preemptionPolicy: c.preemptionPolicy });
                }
            });

            it("wait for nothing but the cluster's API (the provider): they do not lengthen the create path", () => {
                for (const r of plan.ofType(PRIORITY_CLASS)) {
                    expect(r.dependencies, r.name).to.deep.equal([]);
                    expect(Object.values(r.propertyDependencies).flat(), r.name).to.deep.equal([]);
                }
            });
        });
    }
});
