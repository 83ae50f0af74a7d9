/**
 * Runs the real program under Pulumi's mock runtime and records every resource it registers, with
 * inputs, mocked state, parent, provider, dependencies and resource options. This is the engine of the
 * offline plan and of every test.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { resolveConfig, type UncheckedConfig } from "../../config";
import { withoutDiagnosticStacks } from "./diagnostics";
import { throughStruct, withPlainStructs } from "./plainStruct";
import { MockContext, PlatformMocks } from "./mockState";
import { REPO_ROOT, buildStackConfig, readProjectFile, readStackFile, stackFilePath, type ProjectFile } from "./stackConfig";
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
    /** The token of every invoke (data source) the program called, in order. */
    readonly invokes: readonly string[];
    /**
     * Config checks not made offline: each check of a `secure:` value the offline tools cannot decrypt
     * (set, value unknown; see config/unknown.ts). The Pulumi CLI decrypts them and makes every check.
     */
    readonly unchecked: readonly UncheckedConfig[];
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
    /**
     * Record through the SDK's own MockMonitor registration (read back from its gRPC messages) instead
     * of the faster equivalent: the reference the tests hold the fast path to.
     */
    viaSdkMonitor?: boolean;
}

const RPC_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Converts the SDK's deserialized form (secret sentinels, unknown markers) to the record's form: a copy. */
function normalize(value: unknown): unknown {
    // Plain loops, and primitives first: this runs over every input and state value of every resource.
    if (value === null || typeof value !== "object") {
        return value;
    }
    if (pulumi.isUnknown(value)) {
        return Unknown.instance;
    }
    if (Array.isArray(value)) {
        const copy = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
            copy[i] = normalize(value[i]);
        }
        return copy;
    }
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === RPC_SECRET_SIG) {
        return new Secret(normalize(obj.value));
    }
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) {
        const normalized = normalize(obj[key]);
        if (key === "__proto__") {
            Object.defineProperty(copy, key, { value: normalized, enumerable: true, writable: true, configurable: true });
        } else {
            copy[key] = normalized;
        }
    }
    return copy;
}

type Struct = Parameters<typeof pulumi.runtime.deserializeProperties>[0];

function deserialize(struct: Struct | undefined): Record<string, unknown> {
    if (!struct) {
        return {};
    }
    return normalize(pulumi.runtime.deserializeProperties(struct, true)) as Record<string, unknown>;
}

/** What the recording reads of a RegisterResourceRequest (the SDK's generated gRPC message). */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getImportid(): string;
    getObject(): Struct | undefined;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(each: (deps: { getUrnsList(): string[] }, key: string) => void): void };
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
}

/** The parts of the SDK's MockMonitor that registration uses (internal to the pinned SDK; checked at run time). */
interface MockMonitorInternals {
    readonly mocks: pulumi.runtime.Mocks;
    readonly resources: Map<string, { urn: string; id: string | null; state: unknown }>;
    newUrn(parent: string, type: string, name: string): string;
    registerResource: unknown;
}

function isMockMonitor(monitor: unknown): monitor is MockMonitorInternals {
    const m = monitor as Partial<MockMonitorInternals> | undefined;
    return typeof m?.mocks?.newResource === "function" && m.resources instanceof Map && typeof m.newUrn === "function";
}

/** `deserializeProperties` of a Struct already turned into plain JavaScript. */
function deserializePlain(raw: Record<string, unknown>, keepUnknowns: boolean): Record<string, unknown> {
    const props: Record<string, unknown> = {};
    for (const key of Object.keys(raw)) {
        if (raw[key] !== undefined) {
            props[key] = pulumi.runtime.deserializeProperty(raw[key], keepUnknowns);
        }
    }
    return props;
}

/**
 * The MockMonitor's registerResource, recording as it goes. It does what the SDK's does (the mocks see
 * the inputs without unknowns, the state they return is serialized and kept for reads), but converts
 * each message once: the request's Struct is read once for the mocks and the record, and the state goes
 * back to the SDK as the plain serialized form it would rebuild from a Struct, not as a Struct to encode
 * and decode again. The record holds exactly what deserializing the two messages gives.
 */
function registerAndRecord(
    monitor: MockMonitorInternals,
    record: (req: RegisterRequest, urn: string, id: string | undefined, inputs: Record<string, unknown>, outputs: Record<string, unknown>) => void,
) {
    return (req: RegisterRequest, callback: (err: unknown, resp: unknown) => void): void => {
        void (async () => {
            try {
                const raw = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
                const type = req.getType();
                const name = req.getName();
                // What the SDK's monitor gives the mocks; during a preview that keeps unknowns, as the record does.
                const inputs = deserializePlain(raw, false);
                const result = await monitor.mocks.newResource({
                    type,
                    name,
                    inputs,
                    provider: req.getProvider(),
                    custom: req.getCustom(),
                    id: req.getImportid(),
                });
                const urn = monitor.newUrn(req.getParent(), type, name);
                const serialized = await pulumi.runtime.serializeProperties("", result.state);
                monitor.resources.set(urn, { urn, id: result.id ?? null, state: serialized });
                const state = throughStruct(serialized) as Record<string, unknown>;
                // As the SDK's monitor answers (an empty id for none) and the record reads the answer back.
                const id = result.id ? result.id : "";
                record(
                    req,
                    urn,
                    id === "" ? undefined : id,
                    normalize(pulumi.runtime.isDryRun() ? inputs : deserializePlain(raw, true)) as Record<string, unknown>,
                    normalize(deserializePlain(state, true)) as Record<string, unknown>,
                );
                callback(null, {
                    getUrn: () => urn,
                    getId: () => id,
                    getObject: () => ({ toJavaScript: () => state }),
                    getPropertydependenciesMap: () => undefined,
                    getResult: () => 0, // Result.SUCCESS
                });
            } catch (err) {
                callback(err, undefined);
            }
        })();
    };
}

/** Whether a module id is the repository's own code (not node_modules, not the offline tools). */
function isRepositoryModule(id: string): boolean {
    return id.startsWith(REPO_ROOT) && !id.includes(`${path.sep}node_modules${path.sep}`) && !id.includes(`${path.sep}tools${path.sep}`);
}

/**
 * The repository modules that the last run of the program loaded (its entry point, components, ...).
 * Modules already loaded when the run began (the config module the tools import, a spec's own imports)
 * are shared with the program: they hold no state, and loading them twice per plan would cost ~0.1 s.
 */
const programModules = new Set<string>();

/** Forgets the modules the last run loaded, and the entry point, so that the next require runs the program afresh. */
function clearProgramModules(program: string): void {
    for (const id of programModules) {
        delete require.cache[id];
    }
    programModules.clear();
    // The entry point too, should something else have loaded it.
    try {
        delete require.cache[require.resolve(program)];
    } catch {
        // Missing: its require fails inside the run, which reports it as it always has.
    }
}

/** Records the repository modules that were loaded since `before`. */
function rememberProgramModules(before: ReadonlySet<string>): void {
    for (const id of Object.keys(require.cache)) {
        if (!before.has(id) && isRepositoryModule(id)) {
            programModules.add(id);
        }
    }
}

/** Resolves the config a run uses. */
function resolveRunConfig(opts: RunOptions, project: ProjectFile) {
    const stackValues = opts.config ?? readStackFile(opts.configFile ?? stackFilePath(opts.stack ?? "dev"));
    return buildStackConfig(project, stackValues);
}

/**
 * Runs the program once under mocks and returns what it registered. Errors the program throws (for
 * example a ConfigValidationError) reject the returned promise unchanged.
 */
export async function runProgram(opts: RunOptions = {}): Promise<ProgramRun> {
    const projectFile = readProjectFile();
    const project = projectFile.name;
    const stack = opts.stack ?? "dev";
    const { values, secretKeys } = resolveRunConfig(opts, projectFile);
    const region = values["aws:region"] ?? "us-east-1";
    const ctx: MockContext = { region };

    pulumi.runtime.setAllConfig(values, secretKeys);
    const mocks = new PlatformMocks(ctx);
    await pulumi.runtime.setMocks(mocks, project, stack, opts.preview ?? true);

    const resources: RecordedResource[] = [];
    const byUrn = new Map<string, RecordedResource>();
    let stackOutputs: Record<string, unknown> = {};
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the monitor is the SDK's untyped gRPC surface
    const monitor: any = pulumi.runtime.getMonitor();
    const record = (req: RegisterRequest, urn: string, id: string | undefined, inputs: Record<string, unknown>, outputs: Record<string, unknown>) => {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, key) => {
            propertyDependencies[key] = deps.getUrnsList();
        });
        const resource: RecordedResource = {
            urn,
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            id,
            parent: req.getParent() || undefined,
            provider: req.getProvider() || undefined,
            inputs,
            outputs,
            dependencies: req.getDependenciesList(),
            propertyDependencies,
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
        };
        resources.push(resource);
        byUrn.set(resource.urn, resource);
    };
    const fastPath = opts.viaSdkMonitor !== true && isMockMonitor(monitor);
    if (fastPath) {
        monitor.registerResource = registerAndRecord(monitor, record);
    } else {
        // The SDK's own registration (or another SDK's monitor): wrap it and read the record back from the messages.
        const register = monitor.registerResource.bind(monitor);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        monitor.registerResource = (req: RegisterRequest, callback: (err: unknown, resp: any) => void) =>
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            register(req, (err: unknown, resp: any) => {
                if (!err && resp) {
                    record(req, resp.getUrn(), resp.getId() || undefined, deserialize(req.getObject()), deserialize(resp.getObject()));
                }
                callback(err, resp);
            });
    }
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp: unknown) => void) => {
        // Every component registers outputs; only the stack's are recorded.
        if (byUrn.get(req.getUrn())?.type === "pulumi:pulumi:Stack") {
            stackOutputs = deserialize(req.getOutputs());
        }
        return registerOutputs(req, callback);
    };

    const program = opts.program ?? path.join(REPO_ROOT, "index.ts");
    clearProgramModules(program);
    const loadedBefore = new Set(Object.keys(require.cache));
    // An error the program throws while loading (invalid config, before any resource) is caught inside
    // the stack's init, so the SDK's internal promises settle normally, and rethrown unchanged below.
    let loadError: { error: unknown } | undefined;
    const run = () =>
        withoutDiagnosticStacks(async () => {
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
                rememberProgramModules(loadedBefore);
            }
        });
    // The fast path reads every message with toJavaScript() only, so it needs no real Structs (plainStruct.ts).
    await (fastPath ? withPlainStructs(run) : run());
    if (loadError) {
        throw loadError.error;
    }
    // The program validated this config already (it would have thrown above): resolving it again only
    // reads back which checks it skipped.
    const { unchecked } = resolveConfig({ stack, values });
    return { stack, project, resources, outputs: stackOutputs, config: values, unchecked, invokes: [...mocks.invokes] };
}
