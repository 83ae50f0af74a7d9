import { expect } from "chai";
import { enableCertificateTransparency } from "../../../policies/rules/acm/enableCertificateTransparency";
import { messages, resource } from "../check";
import { acmCertificate } from "../fixtures";

const CERT = "aws:acm/certificate:Certificate";
const run = (props: Record<string, unknown>) => messages(enableCertificateTransparency, [resource(CERT, "c", props)]);

describe("policy platform-acm-certificate-transparency", () => {
    it("passes a certificate with the default (logged) or ENABLED preference", async () => {
        expect(await run(acmCertificate)).to.deep.equal([]);
        expect(await run({ ...acmCertificate, options: { certificateTransparencyLoggingPreference: "ENABLED" } })).to.deep.equal([]);
    });
    it("fails a certificate that opts out of CT logging", async () => {
        expect(await run({ ...acmCertificate, options: { certificateTransparencyLoggingPreference: "DISABLED" } })).to.deep.equal([
            'aws:acm/certificate:Certificate "c" opts out of Certificate Transparency logging. Remove options.certificateTransparencyLoggingPreference or set it to "ENABLED".',
        ]);
    });
});
