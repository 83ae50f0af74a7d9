import { expect } from "chai";
import * as fs from "node:fs";
import { parse } from "yaml";
import { main, pinImage, referenceImage } from "../../tools/referenceImage";
import { sharedPlan } from "../harness";
import { resolve } from "../config/resolve";
import { stackFilePath } from "../../tools/offline/stackConfig";
import type { PlatformConfig } from "../../config";

const DIGEST = `sha256:${"ab".repeat(32)}`;
/**
 * The dev stack's config with its first application's image replaced after validation: the config module
 * refuses the bad images itself (test/config/apps.spec.ts), the tool refuses them again for the workflow.
 */
function devWithImage(image: string): PlatformConfig {
    const config = resolve("dev");
    return { ...config, apps: [{ ...config.apps[0], image }, ...config.apps.slice(1)] };
}

describe("tools/referenceImage: the deploy workflow's view of the reference image", () => {
    it("names the stack's repository, the pinned digest and the URN of the application a first deploy leaves out", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const outputs = referenceImage(resolve(stack)) as Record<string, string>;
            expect(outputs.repository).to.equal(`platform-${stack}-reference-app`);
            expect(outputs.pinned).to.match(/^sha256:[a-f0-9]{64}$/);
            expect(outputs.app).to.equal("api");
            // The engine's URN of a top-level component; the mock runtime prefixes the stack's type.
            const plan = await sharedPlan(stack);
            expect(outputs.exclude).to.equal(plan.get("platform:apps:Application", "app-api").urn.replace("pulumi:pulumi:Stack$", ""));
        }
    });

    it("reads the digest of an image in the stack's repository, and refuses one pinned by tag or in another region", () => {
        const repo = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/platform-dev-reference-app";
        expect((referenceImage(devWithImage(`${repo}@${DIGEST}`)) as Record<string, string>).pinned).to.equal(DIGEST);
        for (const image of [
            `${repo}:src-1234`,
            `${repo}:src-1234@${DIGEST}`,
            `123456789012.dkr.ecr.us-east-1.amazonaws.com/platform-dev-reference-app@${DIGEST}`,
        ]) {
            expect(referenceImage(devWithImage(image)), image).to.deep.equal({
                problem: `stack dev: the application api has the image ${image}; expected <account>.dkr.ecr.eu-west-1.amazonaws.com/platform-dev-reference-app@sha256:<digest> (pinned by digest alone, in the stack's region)`,
            });
        }
    });

    it("gives empty values when no application runs the reference image (the workflow then builds and pushes only)", () => {
        const outputs = referenceImage(devWithImage(`public.ecr.aws/org/app:1.0@${DIGEST}`));
        expect(outputs).to.deep.equal({ repository: "platform-dev-reference-app", pinned: "", app: "", exclude: "" });
    });

    it("prints name=value lines for $GITHUB_OUTPUT, and exits 2 on bad usage or config", () => {
        const printed: string[] = [];
        const errors: string[] = [];
        expect(
            main(
                ["--stack", "dev"],
                (stack) => resolve(stack as "dev"),
                (s) => printed.push(s),
            ),
        ).to.equal(0);
        expect(printed[0].split("\n").map((l) => l.split("=")[0])).to.deep.equal(["repository", "pinned", "app", "exclude"]);
        expect(main(["--stak", "dev"], undefined, undefined, (s) => errors.push(s))).to.equal(2);
        expect(errors[0]).to.equal('bad arguments "--stak dev"\nusage: npm run --silent reference-image -- --stack NAME [--pin sha256:DIGEST]');
        const failing = () => {
            throw new Error("Pulumi.nope.yaml: no such stack file");
        };
        expect(main(["--stack", "nope"], failing, undefined, (s) => errors.push(s))).to.equal(2);
        expect(errors[1]).to.equal("Pulumi.nope.yaml: no such stack file");
    });

    it("--pin changes the reference application's image line and nothing else of the stack file", () => {
        const text = fs.readFileSync(stackFilePath("dev"), "utf8");
        const image = resolve("dev").apps[0].image;
        const pinned = pinImage(text, image, `${image.split("@")[0]}@${DIGEST}`);
        const before = text.split("\n");
        const after = pinned.split("\n");
        const changed = after.flatMap((line, i) => (line !== before[i] ? [[before[i], line]] : []));
        expect(after).to.have.length(before.length);
        expect(changed).to.deep.equal([[`      image: ${image}`, `      image: ${image.split("@")[0]}@${DIGEST}`]]);
        const config = (parse(pinned) as { config: Record<string, { image: string }[]> }).config;
        expect(config["platform:apps"][0].image).to.equal(`${image.split("@")[0]}@${DIGEST}`);
        expect(() => pinImage(text, "nowhere@sha256:x", DIGEST)).to.throw(
            "the stack file has the image nowhere@sha256:x 0 times as an image: value; expected once",
        );
    });

    it("--pin refuses what is neither a digest nor an image of the stack's repository, before touching the file", () => {
        const errors: string[] = [];
        const other = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/someone-else@${DIGEST}`;
        for (const pin of ["src-0123", other]) {
            expect(
                main(
                    ["--stack", "dev", "--pin", pin],
                    (stack) => resolve(stack as "dev"),
                    undefined,
                    (s) => errors.push(s),
                ),
            ).to.equal(2);
        }
        expect(errors[1]).to.equal(
            `--pin "${other}" is neither a digest nor an image of platform-dev-reference-app; expected sha256:<64 hex digits> or <account>.dkr.ecr.eu-west-1.amazonaws.com/platform-dev-reference-app@sha256:<digest> (the Build and push step prints both)`,
        );
        expect(errors[0]).to.match(/^--pin "src-0123" is neither a digest/);
    });
});
