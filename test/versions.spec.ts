import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    CHARTS,
    CORE_ADDONS,
    DEFAULT_KUBERNETES_VERSION,
    EKS_ADDON_VERSIONS,
    KUBERNETES_VERSIONS,
    SUPPORTED_KUBERNETES_VERSIONS,
    type KubernetesVersion,
} from "../versions";

const SHARED_REFERENCE = path.resolve(__dirname, "..", "..", "shared", "reference");
const ADDON_VERSION = /^v(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)$/;

/** An add-on version as comparable numbers: major, minor, patch, eksbuild. */
function parts(version: string): number[] {
    const match = ADDON_VERSION.exec(version);
    expect(match, version).to.not.equal(null);
    return match!.slice(1).map(Number);
}

function compare(a: string, b: string): number {
    const [x, y] = [parts(a), parts(b)];
    const i = x.findIndex((v, k) => v !== y[k]);
    return i < 0 ? 0 : x[i] - y[i];
}

interface AwsVersions {
    eks: { supportedVersions: string[]; calendar: Record<string, { endOfStandardSupport: string }> };
    addons: Record<string, Record<string, unknown>>;
}

describe("version pins (versions.ts)", () => {
    it("accepts only the Kubernetes versions in EKS standard support past 2026, newest by default", () => {
        expect(SUPPORTED_KUBERNETES_VERSIONS).to.deep.equal(["1.35", "1.36"]);
        expect(DEFAULT_KUBERNETES_VERSION).to.equal("1.36");
        for (const version of SUPPORTED_KUBERNETES_VERSIONS) {
            expect(KUBERNETES_VERSIONS[version].endOfStandardSupport > "2026-12-31", version).to.equal(true);
        }
    });

    it("pins every core add-on for every supported minor, as an EKS add-on build", () => {
        for (const version of SUPPORTED_KUBERNETES_VERSIONS) {
            expect(Object.keys(EKS_ADDON_VERSIONS[version]).sort()).to.deep.equal([...CORE_ADDONS].sort());
            for (const addon of CORE_ADDONS) {
                expect(EKS_ADDON_VERSIONS[version][addon], `${addon} on ${version}`).to.match(ADDON_VERSION);
            }
        }
    });

    it("kube-proxy matches the cluster minor", () => {
        for (const version of SUPPORTED_KUBERNETES_VERSIONS) {
            expect(EKS_ADDON_VERSIONS[version]["kube-proxy"].startsWith(`v${version}.`), version).to.equal(true);
        }
    });

    it("no add-on build goes down from one minor to the next (EKS refuses add-on downgrades on upgrade)", () => {
        for (let i = 1; i < SUPPORTED_KUBERNETES_VERSIONS.length; i++) {
            const [from, to] = [SUPPORTED_KUBERNETES_VERSIONS[i - 1], SUPPORTED_KUBERNETES_VERSIONS[i]] as [KubernetesVersion, KubernetesVersion];
            for (const addon of CORE_ADDONS) {
                expect(compare(EKS_ADDON_VERSIONS[to][addon], EKS_ADDON_VERSIONS[from][addon]), `${addon} ${from} -> ${to}`).to.be.at.least(0);
            }
        }
    });

    it("the load balancer controller chart is an exact version from an HTTPS repository", () => {
        expect(CHARTS.awsLoadBalancerController).to.deep.equal({
            chart: "aws-load-balancer-controller",
            version: "3.5.0",
            repository: "https://aws.github.io/eks-charts",
        });
    });

    describe("against ../shared/reference", () => {
        let data: AwsVersions;
        before(function () {
            const file = path.join(SHARED_REFERENCE, "aws-versions.json");
            if (!fs.existsSync(file)) {
                this.skip(); // ../shared is absent (a user's machine): nothing to compare against
            }
            data = JSON.parse(fs.readFileSync(file, "utf8")) as AwsVersions;
        });

        it("every supported version is in EKS standard support there, with the same end date", () => {
            for (const version of SUPPORTED_KUBERNETES_VERSIONS) {
                expect(data.eks.supportedVersions).to.include(version);
                expect(KUBERNETES_VERSIONS[version].endOfStandardSupport).to.equal(data.eks.calendar[version].endOfStandardSupport);
            }
        });

        it("every add-on pin is a build listed there for its minor", () => {
            for (const version of SUPPORTED_KUBERNETES_VERSIONS) {
                for (const addon of CORE_ADDONS) {
                    const listed = data.addons[addon][version] as string[] | undefined;
                    expect(listed, `${addon} ${version}`).to.include(EKS_ADDON_VERSIONS[version][addon]);
                }
            }
        });

        it("the chart pin is the version whose values and IAM policy are there", () => {
            const index = fs.readFileSync(path.join(SHARED_REFERENCE, "..", "charts", "INDEX.md"), "utf8");
            expect(index).to.include(`aws-load-balancer-controller ${CHARTS.awsLoadBalancerController.version} (v${CHARTS.awsLoadBalancerController.version})`);
        });
    });
});
