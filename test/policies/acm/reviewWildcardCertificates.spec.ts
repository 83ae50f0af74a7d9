import { expect } from "chai";
import { reviewWildcardCertificates } from "../../../policies/rules/acm/reviewWildcardCertificates";
import { wildcardDomains } from "../../../tools/generate";
import { messages, resource } from "../check";
import { acmCertificate } from "../fixtures";

const CERT = "aws:acm/certificate:Certificate";
const config = (domains: string[]) => ({
    [reviewWildcardCertificates.policy.name]: { enforcementLevel: "advisory" as const, allowedWildcardDomains: domains },
});

describe("policy platform-acm-wildcard-certificate (advisory)", () => {
    it("accepts the wildcard of a reviewed domain, and certificates without a wildcard", async () => {
        expect(await messages(reviewWildcardCertificates, [resource(CERT, "c", acmCertificate)], config(["example.com"]))).to.deep.equal([]);
        expect(await messages(reviewWildcardCertificates, [resource(CERT, "c", { domainName: "app.example.com" })], config([]))).to.deep.equal([]);
    });
    it("reports a wildcard no one reviewed, as the SAN or the domain name", async () => {
        const expected = [
            'aws:acm/certificate:Certificate "c" covers *.example.com: every host of example.com shares its key. Name the hosts instead, or add "example.com" to allowedWildcardDomains of the stack\'s policy config if that is the design.',
        ];
        expect(await messages(reviewWildcardCertificates, [resource(CERT, "c", acmCertificate)], config([]))).to.deep.equal(expected);
        expect(await messages(reviewWildcardCertificates, [resource(CERT, "c", { domainName: "*.example.com" })], config(["dev.example.com"]))).to.deep.equal(
            expected,
        );
    });
    it("each stack's policy config reviews exactly its own edge domain", () => {
        expect(wildcardDomains("dev")).to.deep.equal(["dev.example.com"]);
        expect(wildcardDomains("prod")).to.deep.equal(["example.com"]);
    });
});
