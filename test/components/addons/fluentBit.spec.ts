import { expect } from "chai";
import * as fs from "node:fs";
import { FLUENT_BIT, fluentBitFlows, fluentBitValues } from "../../../components/addons/fluentBit";
import { BUFFER_LIMITS, LOG_CLASSES, fluentBitPipeline, logGroupName } from "../../../components/addons/fluentBitConfig";
import { PRIORITY_CLASSES } from "../../../components/priorities";
import { stackFlows } from "../../../components/stackFlows";
import { resolve } from "../../config/resolve";
import { policyOf, sharedPlan, type Plan } from "../../harness";
import { sharedFile } from "../eks/helpers";
import { expectChartMonitors } from "./chartMonitors";
import { declaredValues, undeclaredKeys } from "./chartValues";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
/** Values the chart renders whole with toYaml (pod spec parts, lists, the pipeline's sections). */
const RENDERED_WHOLE = ["securityContext", "podSecurityContext", "resources", "env", "tolerations", "updateStrategy", "serviceAccount.annotations"];

describe("Fluent Bit and the Kubernetes log groups", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });
    const valuesOf = (plan: Plan) => plan.inputsOf(plan.get(RELEASE, "fluent-bit-release")).values as Record<string, unknown>;

    it("makes the three groups with the logs key and the configured retention (dev 14 days, prod 365)", () => {
        for (const [plan, prefix, days] of [
            [dev, "platform-dev", 14],
            [prod, "platform-prod", 365],
        ] as const) {
            const logsKey = plan.resources.find((r) => r.name === "keys-logs")!;
            for (const logClass of LOG_CLASSES) {
                const group = plan.get(LOG_GROUP, `fluent-bit-log-groups-${logClass}`);
                expect(group.inputs.name).to.equal(`/${prefix}/kubernetes/${logClass}`);
                expect(group.inputs.retentionInDays).to.equal(days);
                expect(plan.dependsOn(group, logsKey), `${logClass} is encrypted with the logs key`).to.equal(true);
            }
        }
    });

    it("its role may only create streams and put events in exactly those groups", () => {
        for (const plan of [dev, prod]) {
            const statements = policyOf(plan.get("aws:iam/rolePolicy:RolePolicy", "fluent-bit-role-policy").inputs.policy).Statement;
            const actions = statements.flatMap((s) => [s.Action].flat());
            expect(actions).to.have.members(["logs:CreateLogStream", "logs:PutLogEvents"]);
            const resources = statements.flatMap((s) => [s.Resource].flat()).map(String);
            expect(resources).to.have.length(6);
            for (const resource of resources) {
                expect(resource).to.match(/:log-group:\/platform-(dev|prod)\/kubernetes\/(applications|platform|dataplane)(:log-stream:\*)?$/);
            }
        }
    });

    it("routes each class to its own group only, never creates a group, buffers on disk within bounds and retries", () => {
        const pipeline = fluentBitPipeline({ namePrefix: "platform-prod", region: "eu-west-1" });
        const outputs = pipeline.outputs.split("[OUTPUT]").slice(1);
        expect(outputs).to.have.length(3);
        for (const [i, logClass] of LOG_CLASSES.entries()) {
            expect(outputs[i]).to.include("Name cloudwatch_logs");
            expect(outputs[i]).to.include(`log_group_name ${logGroupName("platform-prod", logClass)}`);
            expect(outputs[i]).to.include("auto_create_group Off");
            expect(outputs[i]).to.include(`storage.total_limit_size ${BUFFER_LIMITS[logClass]}`);
            expect(outputs[i]).to.include("Retry_Limit no_limits");
        }
        expect(pipeline.outputs.match(/log_group_name \S+/g)).to.have.length(3);
        expect(pipeline.outputs).to.not.match(/auto_create_group\s+(On|true)/i);
        const inputs = pipeline.inputs.split("[INPUT]").slice(1);
        expect(inputs).to.have.length(3);
        for (const input of inputs) {
            expect(input).to.include("storage.type filesystem");
            expect(input).to.match(/DB \/var\/fluent-bit\/state\//);
        }
        expect(pipeline.service).to.include("storage.path /var/fluent-bit/state/buffer/");
        // Applications' files go to the applications input, every other container's to the platform input.
        expect(inputs[0]).to.include("Path /var/log/containers/*_app-*_*.log");
        expect(inputs[1]).to.include("Exclude_Path /var/log/containers/*_app-*_*.log");
        expect(pipeline.filters).to.include("multiline.parser go, java, python");
        expect(pipeline.filters).to.include("Merge_Log On");
        expect(pipeline.filters).to.include("K8S-Logging.Exclude Off");
    });

    it("runs on every node with the node agents' priority, drops every capability, reads the logs read-only and writes only its state", () => {
        for (const plan of [dev, prod]) {
            const values = valuesOf(plan);
            expect(values.tolerations).to.deep.equal([{ operator: "Exists" }]);
            expect(values.priorityClassName).to.equal(PRIORITY_CLASSES.nodeAgents.name);
            expect(values.securityContext).to.deep.include({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
            const mounts = values.daemonSetVolumeMounts as { name: string; mountPath: string; readOnly?: boolean }[];
            expect(mounts.filter((m) => m.readOnly !== true).map((m) => m.mountPath)).to.deep.equal(["/var/fluent-bit/state"]);
            expect(values.serviceMonitor).to.deep.equal({ enabled: false });
            expect((values.serviceAccount as { name: string }).name).to.equal(FLUENT_BIT.serviceAccount);
        }
        const ns = dev.resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs.metadata as { name: string }).name === "logging")!;
        expect((ns.inputs.metadata as { labels: Record<string, string> }).labels["pod-security.kubernetes.io/enforce"]).to.equal("privileged");
    });

    it("every value exists in the chart's values.yaml", function () {
        const file = sharedFile("charts/fluent-bit/values.yaml");
        if (file === undefined) {
            this.skip(); // ../shared is absent
        }
        const upstream = declaredValues(fs.readFileSync(file!, "utf8"));
        const values = fluentBitValues({ namePrefix: "platform-dev", region: "eu-west-1", roleArn: "arn:aws:iam::123456789012:role/x" });
        expect(undeclaredKeys(values, upstream, RENDERED_WHOLE)).to.deep.equal([]);
        expect(Object.keys(values.config as object)).to.have.members(["service", "inputs", "filters", "outputs"]);
    });

    it("installs after the groups and the system nodes; its ServiceMonitor (the chart's own, which the chart would skip without the CRD) after the monitoring release; its flows are the stack's", () => {
        for (const plan of [dev, prod]) {
            const release = plan.get(RELEASE, "fluent-bit-release");
            expect(plan.dependsOn(release, plan.get(LOG_GROUP, "fluent-bit-log-groups-applications"))).to.equal(true);
            const [monitor] = expectChartMonitors(plan, release, ["fluent-bit-service-monitor"]);
            expect((monitor.inputs.spec as { endpoints: unknown[] }).endpoints).to.deep.equal([{ port: "http", path: "/api/v2/metrics/prometheus" }]);
        }
        const names = stackFlows(resolve("prod")).map((f) => f.name);
        expect(names).to.include.members(fluentBitFlows().map((f) => f.name));
    });
});
