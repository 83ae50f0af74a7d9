import { expect } from "chai";
import { certificateNames, validationNames } from "../../../components/edge/certificate";
import { sharedPlan, type Plan } from "../../harness";
import { T, variantPlan } from "./plans";

interface ValidationOption {
    domainName: string;
    resourceRecordName: string;
    resourceRecordType: string;
    resourceRecordValue: string;
}

describe("edge: TLS certificate", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("covers the domain and every host one label under it", () => {
        expect(certificateNames("dev.example.com")).to.deep.equal({ domainName: "dev.example.com", subjectAlternativeNames: ["*.dev.example.com"] });
        expect(validationNames(["dev.example.com", "*.dev.example.com"])).to.deep.equal(["dev.example.com"]);
        expect(validationNames(["a.example.com", "*.b.example.com"])).to.deep.equal(["a.example.com", "b.example.com"]);
    });

    for (const [stack, domain] of [
        ["dev", "dev.example.com"],
        ["prod", "example.com"],
    ] as const) {
        it(`${stack}: an RSA 2048 ACM certificate for ${domain} and *.${domain}, validated through DNS, logged to CT`, () => {
            const plan = stack === "dev" ? dev : prod;
            const [certificate] = plan.ofType(T.certificate);
            expect(plan.ofType(T.certificate)).to.have.length(1);
            expect(certificate.name).to.equal("edge-tls-certificate");
            expect(certificate.inputs).to.deep.include({
                domainName: domain,
                subjectAlternativeNames: [`*.${domain}`],
                validationMethod: "DNS",
                keyAlgorithm: "RSA_2048",
                options: { certificateTransparencyLoggingPreference: "ENABLED" },
            });
            expect(plan.providerOf(certificate)?.name).to.equal("aws");
        });
    }

    it("writes ACM's validation record (shared by the domain and its wildcard) into the configured hosted zone", () => {
        const certificate = dev.get(T.certificate, "edge-tls-certificate");
        const options = certificate.outputs.domainValidationOptions as ValidationOption[];
        const records = dev.ofType(T.record);
        expect(records.map((r) => r.name)).to.deep.equal(["edge-tls-validation-0"]);
        const [record] = records;
        const option = options.find((o) => o.domainName === "dev.example.com") as ValidationOption;
        expect(options.find((o) => o.domainName === "*.dev.example.com")?.resourceRecordName).to.equal(option.resourceRecordName);
        expect(record.inputs).to.deep.include({
            zoneId: "Z0123456789EXAMPLE0AB",
            name: option.resourceRecordName,
            type: "CNAME",
            records: [option.resourceRecordValue],
            ttl: 300,
        });
        expect(String(record.inputs.name).endsWith(".dev.example.com.")).to.equal(true);
        expect(dev.dependsOn(record, certificate)).to.equal(true);
    });

    it("the certificate validation waits for the records and is what the stack exports", () => {
        const certificate = dev.get(T.certificate, "edge-tls-certificate");
        const record = dev.get(T.record, "edge-tls-validation-0");
        const validation = dev.get(T.validation, "edge-tls-validation");
        expect(validation.inputs).to.deep.equal({ certificateArn: certificate.outputs.arn, validationRecordFqdns: [record.outputs.fqdn] });
        expect(dev.dependsOn(validation, record)).to.equal(true);
        expect(dev.dependsOn(validation, certificate)).to.equal(true);
        expect(dev.outputs.certificateArn).to.equal(validation.outputs.certificateArn);
        expect(String(dev.outputs.certificateArn)).to.match(/^arn:aws:acm:eu-west-1:123456789012:certificate\//);
    });

    it("every edge resource lives under the Edge component", () => {
        const edge = dev.get(T.edge, "edge");
        const below = new Set(dev.descendantsOf(edge).map((r) => r.urn));
        for (const type of [T.certificate, T.record, T.validation, T.webAcl, T.logging]) {
            for (const r of dev.ofType(type)) {
                expect(below.has(r.urn), `${type} ${r.name}`).to.equal(true);
            }
        }
    });

    it("a stack without a domain has no certificate, no records, and exports null", async () => {
        const plan = await variantPlan();
        expect(plan.ofType(T.certificate)).to.deep.equal([]);
        expect(plan.ofType(T.record)).to.deep.equal([]);
        expect(plan.ofType(T.validation)).to.deep.equal([]);
        expect(plan.outputs.certificateArn).to.equal(null);
        expect(plan.ofType(T.webAcl)).to.have.length(1);
    });
});
