import { expect } from "chai";
import { restrictServiceExposure } from "../../../policies/rules/k8s/restrictServiceExposure";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, resource, stackConfig } from "../check";

const SERVICE = "kubernetes:core/v1:Service";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const run = (type: string, props: Record<string, unknown>, stack: "dev" | "prod" = "prod", config = stackConfig(restrictServiceExposure, stack)) =>
    messages(restrictServiceExposure, [resource(type, "web", props)], config);
const A = "alb.ingress.kubernetes.io/";
const albAnnotations = {
    [`${A}certificate-arn`]: "arn:aws:acm:eu-west-1:123456789012:certificate/1",
    [`${A}ssl-redirect`]: "443",
    [`${A}ssl-policy`]: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    [`${A}target-type`]: "ip",
    [`${A}load-balancer-attributes`]:
        "routing.http.drop_invalid_header_fields.enabled=true,routing.http.desync_mitigation_mode=defensive,access_logs.s3.enabled=true,access_logs.s3.bucket=logs,deletion_protection.enabled=true",
};
const albIngress = (annotations: Record<string, unknown> = albAnnotations, spec: Record<string, unknown> = { ingressClassName: "alb" }) => ({
    metadata: { name: "web", namespace: "shop", annotations },
    spec: {
        ...spec,
        rules: [
            { host: "shop.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } },
        ],
    },
});
const internalLb = {
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": "arn:aws:acm:eu-west-1:123456789012:certificate/1",
};

describe("policy platform-k8s-service-exposure (SVC-01, SVC-02, ING-01, ING-02)", () => {
    it("passes ClusterIP Services, internal TLS LoadBalancer Services and hardened ALB Ingresses", async () => {
        expect(await run(SERVICE, { spec: { ports: [{ port: 80 }] } })).to.deep.equal([]);
        expect(
            await run(SERVICE, { metadata: { annotations: internalLb }, spec: { type: "LoadBalancer", loadBalancerClass: "service.k8s.aws/nlb" } }),
        ).to.deep.equal([]);
        expect(await run(INGRESS, albIngress())).to.deep.equal([]);
    });
    it("fails a LoadBalancer Service without the controller's class, which would get a Classic Load Balancer", async () => {
        expect(await run(SERVICE, { metadata: { annotations: internalLb }, spec: { type: "LoadBalancer" } })).to.deep.equal([
            `${SERVICE} "web" names no load balancer class of the AWS Load Balancer Controller, so the cloud provider would make a Classic Load Balancer (the controller's Service mutator is off). Set spec.loadBalancerClass: service.k8s.aws/nlb.`,
        ]);
        expect(
            await run(SERVICE, { metadata: { annotations: internalLb }, spec: { type: "LoadBalancer", loadBalancerClass: "example.com/lb" } }),
        ).to.deep.equal([
            `${SERVICE} "web" names no load balancer class of the AWS Load Balancer Controller (it names "example.com/lb"), so the cloud provider would make a Classic Load Balancer (the controller's Service mutator is off). Set spec.loadBalancerClass: service.k8s.aws/nlb.`,
        ]);
    });
    it("fails NodePort and externalIPs", async () => {
        expect(await run(SERVICE, { spec: { type: "NodePort", externalIPs: ["198.51.100.1"] } })).to.deep.equal([
            `${SERVICE} "web" opens a port on every node (type NodePort). Use a ClusterIP Service behind an Ingress (target-type ip).`,
            `${SERVICE} "web" claims externalIPs, which lets it intercept traffic to those addresses (CVE-2020-8554). Remove spec.externalIPs.`,
        ]);
    });
    it("fails an internet-facing LoadBalancer Service without TLS (annotations omitted)", async () => {
        expect(await run(SERVICE, { spec: { type: "LoadBalancer", loadBalancerClass: "service.k8s.aws/nlb" } })).to.deep.equal([
            `${SERVICE} "web" asks for an internet-facing load balancer. Annotate it service.beta.kubernetes.io/aws-load-balancer-scheme: internal, or expose it through an Ingress behind the WAF.`,
            `${SERVICE} "web" gets a load balancer without TLS. Annotate it service.beta.kubernetes.io/aws-load-balancer-ssl-cert with an ACM certificate ARN.`,
        ]);
    });
    it("fails a non-ALB Ingress without spec.tls, and accepts one with it (networking.k8s.io and extensions)", async () => {
        const plain = { metadata: { name: "web" }, spec: { ingressClassName: "nginx", rules: [] } };
        expect(await run(INGRESS, plain)).to.deep.equal([
            `${INGRESS} "web" serves plain HTTP (no spec.tls). Add spec.tls with the hosts and a certificate Secret.`,
        ]);
        expect(await run("kubernetes:extensions/v1beta1:Ingress", plain)).to.have.length(1);
        expect(await run(INGRESS, { ...plain, spec: { ...plain.spec, tls: [{ hosts: ["shop.example.com"], secretName: "tls" }] } })).to.deep.equal([]);
    });
    it("fails each missing ALB annotation (all omitted), deletion protection in prod only", async () => {
        const d = `${INGRESS} "web"`;
        const expected = [
            `${d} has no TLS certificate. Annotate it ${A}certificate-arn with an ACM certificate ARN.`,
            `${d} does not redirect HTTP to HTTPS. Annotate it ${A}ssl-redirect: "443".`,
            `${d} uses the TLS policy ELBSecurityPolicy-2016-08 (the controller's default), which allows TLS 1.0 and 1.1. Annotate it ${A}ssl-policy: ELBSecurityPolicy-TLS13-1-2-2021-06.`,
            `${d} does not set routing.http.drop_invalid_header_fields.enabled=true, access_logs.s3.enabled=true, deletion_protection.enabled=true, routing.http.desync_mitigation_mode=defensive (or strictest). Add them to the ${A}load-balancer-attributes annotation (with access_logs.s3.bucket=<the access-log bucket>).`,
        ];
        expect(await run(INGRESS, albIngress({}))).to.deep.equal(expected);
        expect(await run(INGRESS, albIngress({}), "dev")).to.deep.equal([
            ...expected.slice(0, 3),
            `${d} does not set routing.http.drop_invalid_header_fields.enabled=true, access_logs.s3.enabled=true, routing.http.desync_mitigation_mode=defensive (or strictest). Add them to the ${A}load-balancer-attributes annotation (with access_logs.s3.bucket=<the access-log bucket>).`,
        ]);
    });
    it("recognises ALB Ingresses by the legacy class annotation or by their alb annotations, and accepts certificate discovery from spec.tls", async () => {
        expect(await run(INGRESS, albIngress({ ...albAnnotations, "kubernetes.io/ingress.class": "alb" }, {}))).to.deep.equal([]);
        const { [`${A}certificate-arn`]: _cert, ...noCert } = albAnnotations;
        expect(await run(INGRESS, albIngress(noCert, { ingressClassName: "alb", tls: [{ hosts: ["shop.example.com"] }] }))).to.deep.equal([]);
    });
    it("fails an internet-facing ALB Ingress unless allowlisted as namespace/name", async () => {
        const internet = albIngress({ ...albAnnotations, [`${A}scheme`]: "internet-facing" });
        expect(await run(INGRESS, internet)).to.deep.equal([
            `${INGRESS} "web" asks for an internet-facing ALB but shop/web is not on the allowlist. Remove the scheme annotation (internal is the default), or add "shop/web" to internetFacingIngresses in the policy config after a security review.`,
        ]);
        const config = { "platform-k8s-service-exposure": { internetFacingIngresses: ["shop/web"], requireDeletionProtection: true } };
        expect(await run(INGRESS, internet, "prod", config)).to.deep.equal([]);
    });
    it("counts annotations unknown during preview as set, and notes an unknown Service type", async () => {
        expect(
            await run(
                INGRESS,
                albIngress({ ...albAnnotations, [`${A}certificate-arn`]: Unknown.instance, [`${A}load-balancer-attributes`]: Unknown.instance }),
            ),
        ).to.deep.equal([]);
        await expectCannotDecide(
            restrictServiceExposure,
            [resource(SERVICE, "web", { spec: { type: Unknown.instance } })],
            stackConfig(restrictServiceExposure, "prod"),
        );
    });
});
