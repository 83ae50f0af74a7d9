import { expect } from "chai";
import { main, referenceImage } from "../../tools/referenceImage";
import { sharedPlan } from "../harness";
import { resolve } from "../config/resolve";
import { readStackFile, stackFilePath } from "../../tools/offline/stackConfig";

const DIGEST = `sha256:${"ab".repeat(32)}`;
/** The dev stack with its first application's image replaced. */
function devWithImage(image: string) {
    const apps = readStackFile(stackFilePath("dev"))["platform:apps"] as Record<string, unknown>[];
    return resolve("dev", { "platform:apps": [{ ...apps[0], image }, ...apps.slice(1)] });
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
        expect(errors[0]).to.equal('bad arguments "--stak dev"\nusage: npm run --silent reference-image -- --stack NAME');
        const failing = () => {
            throw new Error("Pulumi.nope.yaml: no such stack file");
        };
        expect(main(["--stack", "nope"], failing, undefined, (s) => errors.push(s))).to.equal(2);
        expect(errors[1]).to.equal("Pulumi.nope.yaml: no such stack file");
    });
});
