/**
 * `npm run --silent reference-image -- --stack NAME`: what the deploy workflow needs to order a stack's
 * reference image (.github/workflows/pulumi-up.yml, docs/runbooks/first-deploy.md section 6), as
 * `name=value` lines for $GITHUB_OUTPUT:
 * - `repository`: the stack's ECR repository name (components/apps/imageRepository.ts);
 * - `pinned`: the digest the stack file pins for the application on that repository ("" when none does);
 * - `app`: that application's name; `exclude`: the URN of its Application component, which a first
 *   deploy leaves out (`pulumi up --exclude <urn> --exclude-dependents`) until the repository holds an image.
 * Exit 2 on bad usage or config, naming the problem.
 */
import { PROJECT, type PlatformConfig } from "../config";
import { referenceAppRepositoryName } from "../components/apps/imageRepository";
import { messageOf } from "./verify/report";
import { stackFileConfigReader } from "./verify/stack";

const USAGE = "usage: npm run --silent reference-image -- --stack NAME";

/** The outputs for a stack's config, or the problem. */
export function referenceImage(config: PlatformConfig): Record<string, string> | { problem: string } {
    const repository = referenceAppRepositoryName(config.namePrefix);
    const pattern = new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${config.region}\\.amazonaws\\.com(\\.cn)?/${repository}@(sha256:[a-f0-9]{64})$`);
    const apps = config.apps.filter((a) => a.image.includes(`/${repository}@`) || a.image.includes(`/${repository}:`));
    if (apps.length > 1) {
        return { problem: `stack ${config.stack}: the applications ${apps.map((a) => a.name).join(", ")} all run ${repository}; expected one` };
    }
    const [app] = apps;
    if (app === undefined) {
        return { repository, pinned: "", app: "", exclude: "" };
    }
    const digest = pattern.exec(app.image)?.[2];
    if (digest === undefined) {
        return {
            problem: `stack ${config.stack}: the application ${app.name} has the image ${app.image}; expected <account>.dkr.ecr.${config.region}.amazonaws.com/${repository}@sha256:<digest> (pinned by digest alone, in the stack's region)`,
        };
    }
    return {
        repository,
        pinned: digest,
        app: app.name,
        // A top-level component's URN: the stack root's type is not part of it.
        exclude: `urn:pulumi:${config.stack}::${PROJECT}::platform:apps:Application::app-${app.name}`,
    };
}

/** Parses the arguments, prints the lines; returns the exit code. */
export function main(
    argv: readonly string[],
    readConfig = stackFileConfigReader,
    print = (s: string) => console.log(s),
    printError = (s: string) => console.error(s),
): number {
    if (argv.length !== 2 || argv[0] !== "--stack") {
        printError(`bad arguments ${JSON.stringify(argv.join(" "))}\n${USAGE}`);
        return 2;
    }
    let config: PlatformConfig;
    try {
        config = readConfig(argv[1]);
    } catch (error) {
        printError(messageOf(error));
        return 2;
    }
    const outputs = referenceImage(config);
    if ("problem" in outputs) {
        printError(String(outputs.problem));
        return 2;
    }
    print(
        Object.entries(outputs)
            .map(([k, v]) => `${k}=${v}`)
            .join("\n"),
    );
    return 0;
}

if (require.main === module) {
    process.exit(main(process.argv.slice(2)));
}
