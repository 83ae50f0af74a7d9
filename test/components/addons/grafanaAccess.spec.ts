import { expect } from "chai";
import { XRAY_READ_ACTIONS } from "../../../components/addons/grafanaAccess";
import { GRAFANA_XRAY_PLUGIN } from "../../../versions";
import { policyOf, sharedPlan, type Plan } from "../../harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("Grafana's read-only view of AWS: CloudWatch metrics and logs, X-Ray traces", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });
    const grafanaOf = (plan: Plan) => (plan.inputsOf(plan.get(RELEASE, "monitoring-release")).values as Obj).grafana as Obj;

    it("provisions a CloudWatch and an X-Ray data source of the stack's region on the SDK's default chain (its IRSA role)", () => {
        for (const plan of [dev, prod]) {
            const sources = grafanaOf(plan).additionalDataSources as Obj[];
            expect(sources.map((s) => [s.uid, s.type])).to.deep.equal([
                ["cloudwatch", "cloudwatch"],
                ["xray", "grafana-x-ray-datasource"],
            ]);
            for (const source of sources) {
                expect(source.jsonData).to.deep.equal({ authType: "default", defaultRegion: "eu-west-1" });
                expect(source.editable).to.equal(false);
                expect(source).to.not.have.property("secureJsonData");
            }
            expect(grafanaOf(plan).serviceAccount.annotations).to.have.property("eks.amazonaws.com/role-arn");
        }
    });

    it("installs the X-Ray plugin at its pinned version only", () => {
        for (const plan of [dev, prod]) {
            expect(grafanaOf(plan).plugins).to.deep.equal([`grafana-x-ray-datasource@${GRAFANA_XRAY_PLUGIN.version}`]);
        }
        expect(GRAFANA_XRAY_PLUGIN.version).to.match(/^\d+\.\d+\.\d+$/);
    });

    it("its role reads only: no action writes, log actions name only the Kubernetes groups, X-Ray reads are the plugin's", () => {
        for (const plan of [dev, prod]) {
            const statements = policyOf(plan.get("aws:iam/rolePolicy:RolePolicy", "monitoring-grafana-role-policy").inputs.policy).Statement;
            const actions = statements.flatMap((s) => [s.Action].flat().map(String));
            for (const action of actions) {
                expect(action, action).to.match(/^[a-z0-9-]+:(Get|List|Describe|BatchGet|FilterLogEvents|StartQuery|StopQuery)/);
            }
            expect(actions).to.include.members(XRAY_READ_ACTIONS);
            expect(actions.filter((a) => a.startsWith("xray:")).sort()).to.deep.equal([...XRAY_READ_ACTIONS].sort());
            for (const s of statements) {
                const resources = [s.Resource].flat().map(String);
                if (resources.some((r) => r.includes(":log-group:"))) {
                    for (const r of resources) {
                        expect(r).to.match(/:log-group:\/platform-(dev|prod)\/kubernetes\/\*(:log-stream:\*)?$/);
                    }
                }
            }
        }
    });
});
