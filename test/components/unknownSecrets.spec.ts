import { expect } from "chai";
import { RECEIVER_FILES } from "../../components/addons/alertmanagerConfig";
import { UNKNOWN_CONFIG_TEXT } from "../../config/unknown";
import { runProgram } from "../../tools/offline/runtime";
import { Secret, Unknown } from "../../tools/offline/values";
import { Plan, encryptedStackFile } from "../harness";

const SECRET = "kubernetes:core/v1:Secret";

/** Every string anywhere in a value tree, secrets included. */
function strings(value: unknown): string[] {
    if (typeof value === "string") {
        return [value];
    }
    if (value instanceof Secret) {
        return strings(value.value);
    }
    if (value !== null && typeof value === "object") {
        return Object.values(value).flatMap(strings);
    }
    return [];
}

describe("the program with secrets it cannot read offline (secure: values of the stack file)", () => {
    let plan: Plan;
    before(async () => {
        plan = new Plan(await runProgram({ stack: "prod", configFile: encryptedStackFile("prod") }));
    });

    it("puts an unknown secret, not the marker text, in the Alertmanager receivers Secret", () => {
        const receivers = plan.get(SECRET, "monitoring-alertmanager-receivers");
        // Unknown as a whole, as a preview shows a value computed at deploy time (the Secret exists: both keys are set).
        expect(receivers.inputs.stringData).to.equal(Unknown.instance);
        const release = plan.get("kubernetes:helm.sh/v3:Release", "monitoring-release");
        expect(JSON.stringify(plan.inputsOf(release).values)).to.include(RECEIVER_FILES.pagerDutyRoutingKey.path);
        expect(JSON.stringify(plan.inputsOf(release).values)).to.include(RECEIVER_FILES.slackWebhookUrl.path);
    });

    it("makes each application's credentials an unknown secret, and the rest of its Deployment known", () => {
        for (const app of ["api", "web"]) {
            const credentials = plan.get(SECRET, `app-${app}-credentials`);
            expect(credentials.inputs.stringData, app).to.equal(Unknown.instance);
            const deployment = plan.get("kubernetes:apps/v1:Deployment", `app-${app}-deployment`);
            const spec = deployment.inputs.spec as { template: { metadata: { annotations: Record<string, unknown> }; spec: { containers: unknown[] } } };
            expect(spec.template.spec.containers, app).to.have.length.greaterThan(0);
            expect(spec.template.metadata.annotations["platform/credentials-checksum"], app).to.equal(Unknown.instance);
        }
    });

    it("never passes the offline marker text to any resource or output", () => {
        for (const r of plan.resources) {
            expect(
                strings(r.inputs).filter((s) => s.includes(UNKNOWN_CONFIG_TEXT)),
                `${r.type} ${r.name}`,
            ).to.deep.equal([]);
        }
        expect(strings(plan.outputs).filter((s) => s.includes(UNKNOWN_CONFIG_TEXT))).to.deep.equal([]);
    });
});
