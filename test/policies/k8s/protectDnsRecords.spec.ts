import { expect } from "chai";
import { protectDnsRecords } from "../../../policies/rules/k8s/protectDnsRecords";
import { Unknown } from "../../../tools/offline/values";
import { externalDnsRelease } from "../fixtures";
import { REMOVE, expectCannotDecide, messages, resource, stackConfig, withValue } from "../check";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const d = `${RELEASE} "dns"`;
const prod = stackConfig(protectDnsRecords, "prod");
const dev = stackConfig(protectDnsRecords, "dev");
const run = (props: Record<string, unknown>, config = prod) => messages(protectDnsRecords, [resource(RELEASE, "dns", props)], config);

const SYNC = `${d} runs external-dns with policy "sync", which deletes the records it owns once their Ingress is gone (allowSync is off in this stack). Set values.policy to "upsert-only".`;
const NO_OWNER = `${d} runs external-dns without a txtOwnerId of its own, so it owns its records as "default" and takes any other such instance's records in the zone for its own. Set values.txtOwnerId to an id unique to the stack and cluster.`;

describe("policy platform-k8s-external-dns-records (HELM-03, mandatory in prod)", () => {
    it("passes the platform's release: upsert-only, an owner id, the TXT registry; create-only and the chart's default policy too", async () => {
        expect(await run(externalDnsRelease)).to.deep.equal([]);
        expect(await run(withValue(externalDnsRelease, "values.policy", "create-only"))).to.deep.equal([]);
        expect(await run(withValue(externalDnsRelease, "values.policy", REMOVE)), "the chart's default is upsert-only").to.deep.equal([]);
    });

    it("fails policy sync in prod, also when extraArgs set it; dev allows it", async () => {
        expect(await run(withValue(externalDnsRelease, "values.policy", "sync"))).to.deep.equal([SYNC]);
        expect(await run(withValue(externalDnsRelease, "values.extraArgs.policy", "sync")), "extraArgs come after the chart's flag").to.deep.equal([SYNC]);
        expect(await run(withValue(externalDnsRelease, "values.extraArgs", ["--policy=sync"]))).to.deep.equal([SYNC]);
        expect(await run(withValue(externalDnsRelease, "values.policy", 7))).to.deep.equal([
            `${d} runs external-dns with policy 7, which is not one of upsert-only, create-only. Set values.policy to "upsert-only".`,
        ]);
        expect(await run(withValue(externalDnsRelease, "values.policy", "sync"), dev)).to.deep.equal([]);
        expect(await run(withValue(externalDnsRelease, "values.policy", "delete-all"), dev)).to.deep.equal([
            `${d} runs external-dns with policy "delete-all", which is not one of upsert-only, create-only, sync. Set values.policy to "upsert-only".`,
        ]);
    });

    it("fails a release without an owner id of its own, in every stack", async () => {
        for (const config of [prod, dev]) {
            expect(await run(withValue(externalDnsRelease, "values.txtOwnerId", REMOVE), config)).to.deep.equal([NO_OWNER]);
            expect(await run(withValue(externalDnsRelease, "values.txtOwnerId", ""), config)).to.deep.equal([NO_OWNER]);
            expect(await run(withValue(externalDnsRelease, "values.txtOwnerId", "default"), config)).to.deep.equal([NO_OWNER]);
        }
        expect(
            await run(withValue(withValue(externalDnsRelease, "values.txtOwnerId", REMOVE), "values.extraArgs.txt-owner-id", "platform-prod-eks")),
        ).to.deep.equal([]);
    });

    it("fails the noop registry, which records no ownership", async () => {
        expect(await run(withValue(externalDnsRelease, "values.registry", "noop"))).to.deep.equal([
            `${d} runs external-dns with the noop registry, which records no ownership: it changes any record of its zones. Set values.registry to "txt" (the chart's default) with a txtOwnerId.`,
        ]);
    });

    it("judges the external-dns chart only, by name or URL", async () => {
        const other = { ...externalDnsRelease, chart: "cert-manager", values: { policy: "sync" } };
        expect(await run(other)).to.deep.equal([]);
        expect(await run({ ...externalDnsRelease, chart: "oci://registry.example.com/charts/external-dns", values: {} })).to.deep.equal([
            `${RELEASE} "dns" runs external-dns without a txtOwnerId of its own, so it owns its records as "default" and takes any other such instance's records in the zone for its own. Set values.txtOwnerId to an id unique to the stack and cluster.`,
        ]);
    });

    it("a role ARN unknown during preview does not stop it; unknown values do", async () => {
        expect(
            await run(withValue(externalDnsRelease, "values.serviceAccount", { annotations: { "eks.amazonaws.com/role-arn": Unknown.instance } })),
        ).to.deep.equal([]);
        await expectCannotDecide(protectDnsRecords, [resource(RELEASE, "dns", { ...externalDnsRelease, values: Unknown.instance })], prod);
    });

    it("is mandatory in prod and advisory in dev, where sync is allowed", () => {
        expect(protectDnsRecords.levels).to.deep.equal({ prod: "mandatory", dev: "advisory" });
        expect(protectDnsRecords.config).to.deep.equal({ prod: { allowSync: false }, dev: { allowSync: true } });
    });
});
