/**
 * Runs the real program under Pulumi's mock runtime and records every resource it registers, with
 * inputs, mocked state, parent, provider, dependencies and resource options. This is the engine of the
 * offline plan and of every test.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { MockContext, PlatformMocks } from "./mockState";
import { REPO_ROOT, buildStackConfig, readProjectFile, readStackFile, stackFilePath } from "./stackConfig";
import { Secret, Unknown } from "./values";

/** One registered resource, as the engine would see it. */
export interface RecordedResource {
    /** URN (mock URNs prefix the parent type; never hard-code them). */
    readonly urn: string;
    /** Type token, e.g. `aws:ec2/vpc:Vpc`. */
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    /** False for component resources. */
    readonly custom: boolean;
    /** Mocked id (custom resources). */
    id?: string;
    /** Parent URN. */
    readonly parent?: string;
    /** Provider reference (`<provider urn>::<id>`), when one was given explicitly or inherited. */
    readonly provider?: string;
    /** Inputs as registered; secrets as {@link Secret}, unknowns as {@link Unknown}. */
    readonly inputs: Record<string, unknown>;
    /** State the mock returned (inputs echoed plus computed outputs). */
    outputs: Record<string, unknown>;
    /** URNs this resource depends on. */
    readonly dependencies: string[];
    /** For each input property, the URNs it depends on. */
    readonly propertyDependencies: Record<string, string[]>;
    /** Pulumi `protect`. */
    readonly protect: boolean;
    /** Pulumi `retainOnDelete`. */
    readonly retainOnDelete: boolean;
}

/** What one run of the program produced. */
export interface ProgramRun {
    /** Stack name. */
    readonly stack: string;
    /** Project name. */
    readonly project: string;
    /** Every registered resource, in registration order. */
    readonly resources: RecordedResource[];
    /** Stack outputs; secrets as {@link Secret}. */
    readonly outputs: Record<string, unknown>;
    /** The config the program ran with (namespaced keys, config text). */
    readonly config: Record<string, string>;
}

/** Options of {@link runProgram}. */
export interface RunOptions {
    /** Stack name; selects `Pulumi.<stack>.yaml` unless `configFile` or `config` is given. Default `dev`. */
    stack?: string;
    /** A stack file to use instead of `Pulumi.<stack>.yaml` (like `pulumi preview --config-file`). */
    configFile?: string;
    /** Config values (bare keys are in the project namespace) instead of a file, for tests. */
    config?: Record<string, unknown>;
    /** Run as a preview (the default) or as an update. */
    preview?: boolean;
    /** The program's entry point. Default: the repository's index.ts. */
    program?: string;
}

const RPC_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Converts the SDK's deserialized form (secret sentinels, unknown markers) to the record's form. */
function normalize(value: unknown): unknown {
    if (pulumi.isUnknown(value)) {
        return Unknown.instance;
    }
    if (Array.isArray(value)) {
        return value.map(normalize);
    }
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SIG_KEY] === RPC_SECRET_SIG) {
            return new Secret(normalize(obj.value));
        }
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, normalize(v)]));
    }
    return value;
}

type Struct = Parameters<typeof pulumi.runtime.deserializeProperties>[0];

function deserialize(struct: Struct | undefined): Record<string, unknown> {
    if (!struct) {
        return {};
    }
    return normalize(pulumi.runtime.deserializeProperties(struct, true)) as Record<string, unknown>;
}

/** Forgets every module of the repository (not node_modules), so the next require runs the program afresh. */
function clearProgramModules(): void {
    for (const id of Object.keys(require.cache)) {
        if (id.startsWith(REPO_ROOT) && !id.includes(`${path.sep}node_modules${path.sep}`) && !id.includes(`${path.sep}tools${path.sep}`)) {
            delete require.cache[id];
        }
    }
}

/** Resolves the config a run uses. */
function resolveRunConfig(opts: RunOptions, projectName: string) {
    const project = readProjectFile();
    if (project.name !== projectName) {
        throw new Error(`Pulumi.yaml names project ${project.name}, expected ${projectName}`);
    }
    const stackValues = opts.config ?? readStackFile(opts.configFile ?? stackFilePath(opts.stack ?? "dev"));
    return buildStackConfig(project, stackValues);
}

/**
 * Runs the program once under mocks and returns what it registered. Errors the program throws (for
 * example a ConfigValidationError) reject the returned promise unchanged.
 */
export async function runProgram(opts: RunOptions = {}): Promise<ProgramRun> {
    const project = readProjectFile().name;
    const stack = opts.stack ?? "dev";
    const { values, secretKeys } = resolveRunConfig(opts, project);
    const region = values["aws:region"] ?? "us-east-1";
    const ctx: MockContext = { region };

    pulumi.runtime.setAllConfig(values, secretKeys);
    await pulumi.runtime.setMocks(new PlatformMocks(ctx), project, stack, opts.preview ?? true);

    const resources: RecordedResource[] = [];
    const byUrn = new Map<string, RecordedResource>();
    let stackOutputs: Record<string, unknown> = {};
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the monitor is the SDK's untyped gRPC surface
    const monitor: any = pulumi.runtime.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) =>
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        register(req, (err: unknown, resp: any) => {
            if (!err && resp) {
                const propertyDependencies: Record<string, string[]> = {};
                // eslint-disable-next-line @typescript-eslint/no-explicit-any
                req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
                    propertyDependencies[key] = deps.getUrnsList();
                });
                const record: RecordedResource = {
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    id: resp.getId() || undefined,
                    parent: req.getParent() || undefined,
                    provider: req.getProvider() || undefined,
                    inputs: deserialize(req.getObject()),
                    outputs: deserialize(resp.getObject()),
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    protect: req.getProtect() === true,
                    retainOnDelete: req.getRetainondelete() === true,
                };
                resources.push(record);
                byUrn.set(record.urn, record);
            }
            callback(err, resp);
        });
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp: unknown) => void) => {
        const outputs = deserialize(req.getOutputs());
        const resource = byUrn.get(req.getUrn());
        if (resource?.type === "pulumi:pulumi:Stack") {
            stackOutputs = outputs;
        }
        return registerOutputs(req, callback);
    };

    clearProgramModules();
    const program = opts.program ?? path.join(REPO_ROOT, "index.ts");
    // An error the program throws while loading (invalid config, before any resource) is caught inside
    // the stack's init, so the SDK's internal promises settle normally, and rethrown unchanged below.
    let loadError: { error: unknown } | undefined;
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            try {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                return require(program) as Record<string, unknown>;
            } catch (error) {
                loadError = { error };
                return {};
            }
        });
    } finally {
        // Internal but present (see ../shared/reference/offline-testing.md): resolves once every
        // outstanding registration has been answered.
        await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    }
    if (loadError) {
        throw loadError.error;
    }
    return { stack, project, resources, outputs: stackOutputs, config: values };
}
