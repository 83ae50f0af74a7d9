/**
 * The test harness every spec uses: run the program for a stack file or a config object, then find
 * recorded resources by type and name, follow parents and dependencies, and read stack outputs.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { dnsSuffix, type Partition } from "../components/partitions";
import { PROJECT, schema } from "../config/schema";
import { runProgram, type ProgramRun, type RecordedResource, type RunOptions } from "../tools/offline/runtime";
import { readStackFile, stackFilePath } from "../tools/offline/stackConfig";
import { reveal } from "../tools/offline/values";

export type { ProgramRun, RecordedResource } from "../tools/offline/runtime";

/** A finished program run with lookup helpers. */
export class Plan {
    constructor(readonly run: ProgramRun) {}

    /** Every resource. */
    get resources(): RecordedResource[] {
        return this.run.resources;
    }

    /** Resources of a type token (e.g. `aws:ec2/subnet:Subnet`). */
    ofType(type: string): RecordedResource[] {
        return this.run.resources.filter((r) => r.type === type);
    }

    /** The one resource of `type` whose logical name is `name`; fails the test when absent. */
    get(type: string, name: string): RecordedResource {
        const found = this.run.resources.find((r) => r.type === type && r.name === name);
        if (!found) {
            const names = this.ofType(type).map((r) => r.name);
            throw new Error(`no ${type} named ${name}; have: ${names.length > 0 ? names.join(", ") : "none"}`);
        }
        return found;
    }

    /** The resource with this URN. */
    byUrn(urn: string): RecordedResource | undefined {
        return this.run.resources.find((r) => r.urn === urn);
    }

    /** The resource whose mocked id is `id` (to follow an input such as `vpcId` back to its resource). */
    byId(id: unknown): RecordedResource | undefined {
        return this.run.resources.find((r) => r.id !== undefined && r.id === id);
    }

    /** The resource whose mocked `arn` output is `arn`. */
    byArn(arn: unknown): RecordedResource | undefined {
        return this.run.resources.find((r) => r.outputs.arn === arn);
    }

    /** Direct children of a resource. */
    childrenOf(parent: RecordedResource): RecordedResource[] {
        return this.run.resources.filter((r) => r.parent === parent.urn);
    }

    /** Every resource below a component, at any depth. */
    descendantsOf(ancestor: RecordedResource): RecordedResource[] {
        const children = this.childrenOf(ancestor);
        return children.flatMap((c) => [c, ...this.descendantsOf(c)]);
    }

    /** True when `resource` depends on `other`, directly or through its inputs' property dependencies. */
    dependsOn(resource: RecordedResource, other: RecordedResource): boolean {
        return resource.dependencies.includes(other.urn) || Object.values(resource.propertyDependencies).some((urns) => urns.includes(other.urn));
    }

    /** The provider resource a resource was registered with (its reference is `<provider urn>::<id>`). */
    providerOf(resource: RecordedResource): RecordedResource | undefined {
        const urn = resource.provider?.split("::").slice(0, -1).join("::");
        return urn === undefined ? undefined : this.byUrn(urn);
    }

    /** Inputs with secrets revealed (what a policy sees). */
    inputsOf(resource: RecordedResource): Record<string, unknown> {
        return reveal(resource.inputs) as Record<string, unknown>;
    }

    /** Stack outputs (secrets as Secret objects). */
    get outputs(): Record<string, unknown> {
        return this.run.outputs;
    }
}

/** Runs the program for the checked-in stack file of `stack`. */
export async function planStack(stack: "dev" | "prod", opts: Omit<RunOptions, "stack"> = {}): Promise<Plan> {
    return new Plan(await runProgram({ ...opts, stack }));
}

const sharedPlans = new Map<string, Promise<Plan>>();

/**
 * The plan of a checked-in stack file, run once per test process and shared by every spec that only
 * reads it (a run costs about a second). Never mutate the returned plan.
 */
export function sharedPlan(stack: "dev" | "prod"): Promise<Plan> {
    let plan = sharedPlans.get(stack);
    if (plan === undefined) {
        plan = planStack(stack);
        sharedPlans.set(stack, plan);
    }
    return plan;
}

/** The `config:` map of a checked-in stack file, to modify in a test. */
export function stackConfig(stack: "dev" | "prod"): Record<string, unknown> {
    return readStackFile(stackFilePath(stack));
}

/** A region of another partition for the checked-in prod stack, with the region its backups replicate to. */
export const PARTITION_REGIONS = [
    { partition: "aws-cn", region: "cn-north-1", replicaRegion: "cn-northwest-1" },
    { partition: "aws-us-gov", region: "us-gov-west-1", replicaRegion: "us-gov-east-1" },
] as const;

/** prod's config moved to `region` (another partition): its ARNs, zones, replica region and ECR registry with it. */
export function movedProdConfig(partition: string, region: string, replicaRegion: string): Record<string, unknown> {
    const text = JSON.stringify(stackConfig("prod"))
        .replaceAll("arn:aws:", `arn:${partition}:`)
        .replaceAll("eu-central-1", replicaRegion)
        .replaceAll(".dkr.ecr.eu-west-1.amazonaws.com/", `.dkr.ecr.${region}.${dnsSuffix(partition as Partition)}/`)
        .replaceAll("eu-west-1", region);
    return JSON.parse(text) as Record<string, unknown>;
}

/** Runs the program with the given config map (keys as in a stack file). */
export async function planConfig(config: Record<string, unknown>, stack = "test"): Promise<Plan> {
    return new Plan(await runProgram({ stack, config }));
}

/** Runs the program with a stack file's config plus overrides (a value of `undefined` removes the key). */
export async function planWith(stack: "dev" | "prod", overrides: Record<string, unknown>): Promise<Plan> {
    const config: Record<string, unknown> = { ...stackConfig(stack), ...overrides };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) {
            delete config[key];
        }
    }
    return new Plan(await runProgram({ stack, config }));
}

/** Parses a JSON policy document input (IAM/KMS policies are registered as JSON strings). */
export function policyOf(value: unknown): { Statement: Record<string, unknown>[] } {
    expect(value, "policy document").to.be.a("string");
    return JSON.parse(value as string) as { Statement: Record<string, unknown>[] };
}

/** Every `platform:` key declared secret (the keys the README says to set with `pulumi config set --secret`). */
export function secretKeys(): string[] {
    return Object.entries(schema)
        .filter(([, field]) => "secret" in field && field.secret === true)
        .map(([key]) => `${PROJECT}:${key}`);
}

/** A value shaped like the ciphertext `pulumi config set --secret` writes (`v1:<nonce>:<ciphertext>`, base64). */
export function ciphertext(): string {
    return `v1:${randomBytes(12).toString("base64")}:${randomBytes(48).toString("base64")}`;
}

/**
 * A copy of a checked-in stack file, named `Pulumi.<stack>.yaml` in a new temporary directory, in which
 * every secret key holds a `secure:` ciphertext the offline tools cannot decrypt, as after an operator
 * ran `pulumi config set --secret` for each. Returns its path.
 */
export function encryptedStackFile(stack: "dev" | "prod", keys: readonly string[] = secretKeys()): string {
    const doc = parse(fs.readFileSync(stackFilePath(stack), "utf8")) as { config: Record<string, unknown> };
    for (const key of keys) {
        doc.config[key] = { secure: ciphertext() };
    }
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "encrypted-")), `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, stringify(doc));
    return file;
}
