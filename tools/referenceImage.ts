/**
 * `npm run --silent reference-image -- --stack NAME`: what the deploy workflow needs to order a stack's
 * reference image (.github/workflows/pulumi-up.yml, docs/runbooks/first-deploy.md section 6), as
 * `name=value` lines for $GITHUB_OUTPUT:
 * - `repository`: the stack's ECR repository name (components/apps/imageRepository.ts);
 * - `pinned`: the digest the stack file pins for the application on that repository ("" when none does);
 * - `app`: that application's name; `exclude`: the URN of its Application component, which a first
 *   deploy leaves out (`pulumi up --exclude <urn> --exclude-dependents`) until the repository holds an image.
 * `--pin sha256:<digest>` (or the whole `<repository URL>@sha256:<digest>`, which also sets the account)
 * instead writes it into the stack file (the image line of that application, nothing else of the file
 * changes) and prints the new image: the reviewed commit that rolls an image out.
 * Exit 2 on bad usage or config, naming the problem.
 */
import * as fs from "node:fs";
import { PROJECT, type PlatformConfig } from "../config";
import { referenceAppRepositoryName } from "../components/apps/imageRepository";
import { dnsSuffix } from "../components/partitions";
import { messageOf } from "./verify/report";
import { stackFilePath } from "./offline/stackConfig";
import { stackFileConfigReader } from "./verify/stack";

const USAGE = "usage: npm run --silent reference-image -- --stack NAME [--pin sha256:DIGEST]";
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * The stack file's text with `image` (the reference application's, found once as an `image:` value)
 * replaced by `pinned`; throws when the image is not there exactly once.
 */
export function pinImage(text: string, image: string, pinned: string): string {
    const lines = text.split("\n");
    const at = lines.flatMap((line, i) => (/^\s*(-\s+)?image:\s*["']?([^"'\s]+)["']?\s*$/.exec(line)?.[2] === image ? [i] : []));
    if (at.length !== 1) {
        throw new Error(`the stack file has the image ${image} ${at.length} times as an image: value; expected once`);
    }
    lines[at[0]] = lines[at[0]].replace(image, pinned);
    return lines.join("\n");
}

/** An image of the stack's reference repository pinned by digest alone; group 2 is the digest. */
function imagePattern(config: PlatformConfig): RegExp {
    const registry = `.dkr.ecr.${config.region}.${dnsSuffix(config.partition)}/`.replace(/\./g, "\\.");
    return new RegExp(`^(\\d{12})${registry}${referenceAppRepositoryName(config.namePrefix)}@(sha256:[a-f0-9]{64})$`);
}

/** The outputs for a stack's config, or the problem. */
export function referenceImage(config: PlatformConfig): Record<string, string> | { problem: string } {
    const repository = referenceAppRepositoryName(config.namePrefix);
    const pattern = imagePattern(config);
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
    const pin = argv[2] === "--pin" ? argv[3] : undefined;
    if (!((argv.length === 2 || (argv.length === 4 && pin !== undefined)) && argv[0] === "--stack")) {
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
    if (pin !== undefined) {
        const app = config.apps.find((a) => a.name === outputs.app);
        if (app === undefined) {
            printError(`stack ${config.stack}: no application runs ${outputs.repository}; add one to platform:apps first`);
            return 2;
        }
        const pinned = DIGEST.test(pin) ? `${app.image.split("@")[0]}@${pin}` : pin;
        if (!imagePattern(config).test(pinned)) {
            printError(
                `--pin ${JSON.stringify(pin)} is neither a digest nor an image of ${outputs.repository}; expected sha256:<64 hex digits> or <account>.dkr.ecr.${config.region}.amazonaws.com/${outputs.repository}@sha256:<digest> (the Build and push step prints both)`,
            );
            return 2;
        }
        const file = stackFilePath(config.stack);
        try {
            fs.writeFileSync(file, pinImage(fs.readFileSync(file, "utf8"), app.image, pinned));
        } catch (error) {
            printError(`${file}: ${messageOf(error)}`);
            return 2;
        }
        print(pinned);
        return 0;
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
