import { expect } from "chai";
import { apiVersionOf, requireCurrentApis } from "../../../policies/rules/k8s/requireCurrentApis";
import { messages, resource } from "../check";
import { deployment } from "../fixtures";

describe("policy platform-k8s-current-api-versions", () => {
    it("passes current versions, custom resources and AWS resources", async () => {
        const current = [
            resource("kubernetes:apps/v1:Deployment", "d", deployment),
            resource("kubernetes:policy/v1:PodDisruptionBudget", "p", {}),
            resource("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "s", {}),
            resource("aws:s3/bucket:Bucket", "b", {}),
        ];
        expect(await messages(requireCurrentApis, current)).to.deep.equal([]);
    });
    it("fails each removed version with the release that removed it", async () => {
        expect(
            await messages(requireCurrentApis, [
                resource("kubernetes:policy/v1beta1:PodDisruptionBudget", "p", {}),
                resource("kubernetes:extensions/v1beta1:Ingress", "i", {}),
                resource("kubernetes:autoscaling/v2beta2:HorizontalPodAutoscaler", "h", {}),
            ]),
        ).to.deep.equal([
            'kubernetes:policy/v1beta1:PodDisruptionBudget "p" uses policy/v1beta1, which Kubernetes removed in 1.25 (policy/v1; PodSecurityPolicy has no successor: Pod Security Admission). Use the current version.',
            'kubernetes:extensions/v1beta1:Ingress "i" uses extensions/v1beta1, which Kubernetes removed in 1.22 (apps/v1, networking.k8s.io/v1, policy/v1). Use the current version.',
            'kubernetes:autoscaling/v2beta2:HorizontalPodAutoscaler "h" uses autoscaling/v2beta2, which Kubernetes removed in 1.26 (autoscaling/v2). Use the current version.',
        ]);
    });
    it("reads the apiVersion of a type token", () => {
        expect(apiVersionOf("kubernetes:core/v1:Pod")).to.equal("v1");
        expect(apiVersionOf("kubernetes:apps/v1beta2:Deployment")).to.equal("apps/v1beta2");
        expect(apiVersionOf("aws:s3/bucket:Bucket")).to.equal(undefined);
    });
});
