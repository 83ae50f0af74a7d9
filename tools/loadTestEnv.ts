/**
 * `npm run --silent load-test:env -- --stack NAME [--host HOST] [--target-rps N]`: the load test's
 * settings from the stack config (loadTest.*, the applications' hosts), as `NAME=value` lines for
 * $GITHUB_ENV (loadtest/k6/platform.js reads them). The host must be one of the stack's application
 * hosts, so the workflow cannot be pointed at anyone else's site. Problems go to stderr; exit 2 on bad usage or config.
 */
import type { PlatformConfig } from "../config";
import { messageOf } from "./verify/report";
import { stackFileConfigReader } from "./verify/stack";

/** The environment of the k6 script for a stack, or the usage problem. */
export function loadTestEnv(config: PlatformConfig, options: { host?: string; targetRps?: string }): Record<string, string> | { problem: string } {
    const hosts = [...new Set(config.apps.flatMap((a) => (a.host === undefined ? [] : [a.host])))];
    const host = options.host ?? hosts[0];
    if (host === undefined) {
        return { problem: `stack ${config.stack} has no application with a host: nothing to load` };
    }
    if (!hosts.includes(host)) {
        return { problem: `--host ${host} is not an application host of stack ${config.stack}; expected one of: ${hosts.join(", ")}` };
    }
    const targetRps = options.targetRps ?? String(config.loadTest.targetRps);
    if (!/^[1-9]\d*$/.test(targetRps)) {
        return { problem: `--target-rps ${targetRps} is not a positive whole number` };
    }
    return {
        LOAD_TEST_HOST: host,
        LOAD_TEST_TARGET_RPS: targetRps,
        LOAD_TEST_P95_MS: String(config.loadTest.p95Ms),
        LOAD_TEST_MAX_ERROR_RATE: String(config.loadTest.maxErrorRate),
    };
}

/** Parses the arguments, prints the lines; returns the exit code. */
export function main(
    argv: readonly string[],
    readConfig = stackFileConfigReader,
    print = (s: string) => console.log(s),
    printError = (s: string) => console.error(s),
): number {
    const options: Record<string, string> = {};
    for (let i = 0; i < argv.length; i += 2) {
        if (!["--stack", "--host", "--target-rps"].includes(argv[i]) || argv[i + 1] === undefined) {
            printError(`bad argument ${JSON.stringify(argv[i])}\nusage: npm run --silent load-test:env -- --stack NAME [--host HOST] [--target-rps N]`);
            return 2;
        }
        options[argv[i]] = argv[i + 1];
    }
    if (options["--stack"] === undefined) {
        printError("--stack is required\nusage: npm run --silent load-test:env -- --stack NAME [--host HOST] [--target-rps N]");
        return 2;
    }
    let config: PlatformConfig;
    try {
        config = readConfig(options["--stack"]);
    } catch (error) {
        printError(messageOf(error));
        return 2;
    }
    const env = loadTestEnv(config, { host: options["--host"], targetRps: options["--target-rps"] });
    if ("problem" in env) {
        printError(String(env.problem));
        return 2;
    }
    print(
        Object.entries(env)
            .map(([k, v]) => `${k}=${v}`)
            .join("\n"),
    );
    return 0;
}

if (require.main === module) {
    process.exit(main(process.argv.slice(2)));
}
