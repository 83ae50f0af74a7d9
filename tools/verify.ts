/**
 * `npm run verify -- --stack NAME [--check-image IMAGE]`: proves a deployed stack works, from outside
 * and inside. Reads the stack's outputs (`pulumi stack output --json --show-secrets`) and its config
 * (Pulumi.<stack>.yaml through the config module), then checks each application host (DNS, HTTPS
 * certificate and TLS policy, HTTP redirect, WAF block, health path), each application's data access
 * from a restricted Job with its own credentials, the Velero schedules and Let's Encrypt issuance.
 * Prints one line per check; exits 0 when nothing failed, 1 naming what failed, 2 on bad usage.
 */
import { promises as dns } from "node:dns";
import { ingressDefaults } from "../components/apps/ingress";
import { backupChecks, dataChecks, letsEncryptCheck, realClock, type Clock } from "./verify/cluster";
import { edgeChecks, nodeHttpGet, nodeTlsHandshake, type EdgeDeps } from "./verify/edge";
import { kubeconfigClient, type KubeClient } from "./verify/kube";
import { exitCodeOf, fail, formatReport, messageOf, type CheckResult } from "./verify/report";
import { pulumiOutputReader, runCommand, stackFileConfigReader, type ConfigReader, type OutputReader } from "./verify/stack";
import { TLS_POLICIES } from "./verify/tlsPolicy";

/** Every external effect of a run. */
export interface VerifyDeps {
    readonly readOutputs: OutputReader;
    readonly readConfig: ConfigReader;
    readonly edge: EdgeDeps;
    /** The Kubernetes client of the stack's cluster, from its kubeconfig output. */
    readonly kube: (kubeconfig: string) => KubeClient;
    readonly clock: Clock;
    /** Where the report goes. */
    readonly print: (text: string) => void;
}

const USAGE = "usage: npm run verify -- --stack NAME [--check-image REPOSITORY@sha256:DIGEST]";

/** Parsed arguments, or the usage problem. */
export function parseArgs(argv: readonly string[]): { stack: string; checkImage?: string } | { problem: string } {
    const options: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        if (flag !== "--stack" && flag !== "--check-image") {
            return { problem: `unknown argument ${JSON.stringify(flag)}` };
        }
        const value = argv[i + 1];
        if (value === undefined || value.startsWith("--")) {
            return { problem: `${flag} needs a value` };
        }
        options[flag] = value;
        i++;
    }
    const stack = options["--stack"];
    if (stack === undefined || !/^[a-z0-9][a-z0-9-]*$/.test(stack)) {
        return { problem: stack === undefined ? "--stack is required" : `--stack ${JSON.stringify(stack)} is not a stack name` };
    }
    const checkImage = options["--check-image"];
    if (checkImage !== undefined && !/@sha256:[0-9a-f]{64}$/.test(checkImage)) {
        return { problem: `--check-image ${JSON.stringify(checkImage)} is not pinned by digest; expected REPOSITORY@sha256:<64 hex digits>` };
    }
    return { stack, ...(checkImage !== undefined ? { checkImage } : {}) };
}

/** Runs every check and prints the report; returns the exit code. */
export async function verify(argv: readonly string[], deps: VerifyDeps): Promise<number> {
    const args = parseArgs(argv);
    if ("problem" in args) {
        deps.print(`${args.problem}\n${USAGE}`);
        return 2;
    }
    const results: CheckResult[] = [];
    let outputs;
    let config;
    try {
        config = deps.readConfig(args.stack);
        outputs = await deps.readOutputs(args.stack);
    } catch (error) {
        results.push(fail("stack", messageOf(error)));
        deps.print(formatReport(args.stack, results));
        return exitCodeOf(results);
    }
    const policy = TLS_POLICIES[ingressDefaults.sslPolicy];
    results.push(
        ...(await edgeChecks(deps.edge, {
            applicationUrls: outputs.applicationUrls,
            apps: config.apps,
            waf: config.waf,
            tlsPolicy: policy,
            now: deps.clock.now(),
        })),
    );
    const kube = deps.kube(outputs.kubeconfig);
    const runId = deps.clock.now().getTime().toString(36);
    const image = args.checkImage ?? outputs.referenceAppImage;
    results.push(...(await dataChecks(kube, deps.clock, { apps: config.apps, namespaces: outputs.applicationNamespaces, image, runId })));
    results.push(...(await backupChecks(kube, deps.clock, config.velero.schedules)));
    results.push(...(await letsEncryptCheck(kube, deps.clock, config.edge.domain, runId)));
    deps.print(formatReport(args.stack, results));
    return exitCodeOf(results);
}

/** The real dependencies: the Pulumi CLI, the stack file, the system resolver and trust store, the cluster's API. */
export const realDeps: VerifyDeps = {
    readOutputs: pulumiOutputReader(),
    readConfig: stackFileConfigReader,
    edge: {
        resolve: async (host) => (await dns.lookup(host, { all: true })).map((a) => a.address),
        tlsHandshake: nodeTlsHandshake(),
        httpGet: nodeHttpGet(),
    },
    kube: (kubeconfig) => kubeconfigClient(kubeconfig, runCommand),
    clock: realClock,
    print: (text) => console.log(text),
};

if (require.main === module) {
    verify(process.argv.slice(2), realDeps).then(
        (code) => process.exit(code),
        (error: unknown) => {
            console.error(`verify failed unexpectedly: ${messageOf(error)}`);
            process.exit(3);
        },
    );
}
