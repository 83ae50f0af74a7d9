import { expect } from "chai";
import { protectAlbWithWaf } from "../../../policies/rules/alb/protectAlbWithWaf";
import { Unknown } from "../../../tools/offline/values";
import { messages, resource } from "../check";
import { loadBalancer, webAcl } from "../fixtures";

const ALB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/edge/1";
const ACL_ARN = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/acl/1";
const internetAlb = (type = "aws:lb/loadBalancer:LoadBalancer") => resource(type, "edge", { ...loadBalancer, internal: false, arn: ALB_ARN });
const acl = resource("aws:wafv2/webAcl:WebAcl", "acl", { ...webAcl, arn: ACL_ARN });
const association = (alb = internetAlb()) =>
    resource(
        "aws:wafv2/webAclAssociation:WebAclAssociation",
        "assoc",
        { resourceArn: Unknown.instance, webAclArn: ACL_ARN },
        { propertyDependencies: { resourceArn: [alb.urn] } },
    );
const logging = resource("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "acl-logs", {
    resourceArn: ACL_ARN,
    logDestinationConfigs: ["arn:aws:logs:eu-west-1:123456789012:log-group:aws-waf-logs-x"],
});
const ingress = (name: string, annotations: Record<string, unknown>) =>
    resource("kubernetes:networking.k8s.io/v1:Ingress", name, { metadata: { name, namespace: "shop", annotations }, spec: { ingressClassName: "alb" } });

describe("policy platform-alb-load-balancer-waf (X-02)", () => {
    it("passes an internet-facing ALB associated with a logged web ACL (aws.lb and aws.alb)", async () => {
        for (const type of ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"]) {
            const alb = internetAlb(type);
            expect(await messages(protectAlbWithWaf, [alb, acl, association(alb), logging]), type).to.deep.equal([]);
        }
    });
    it("joins an association by the ALB's ARN when there is no dependency", async () => {
        const byArn = resource("aws:wafv2/webAclAssociation:WebAclAssociation", "assoc", { resourceArn: ALB_ARN, webAclArn: ACL_ARN });
        expect(await messages(protectAlbWithWaf, [internetAlb(), acl, byArn, logging])).to.deep.equal([]);
    });
    it("exempts internal ALBs and network load balancers", async () => {
        expect(await messages(protectAlbWithWaf, [resource("aws:lb/loadBalancer:LoadBalancer", "internal", loadBalancer)])).to.deep.equal([]);
        expect(
            await messages(protectAlbWithWaf, [resource("aws:lb/loadBalancer:LoadBalancer", "nlb", { internal: false, loadBalancerType: "network" })]),
        ).to.deep.equal([]);
    });
    it("fails an internet-facing ALB without the WAF, and a web ACL without logging", async () => {
        expect(await messages(protectAlbWithWaf, [internetAlb()])).to.deep.equal([
            'aws:lb/loadBalancer:LoadBalancer "edge" is internet-facing and not behind the WAF. Add an aws.wafv2.WebAclAssociation with resourceArn set to this load balancer\'s ARN.',
        ]);
        const alb = internetAlb();
        expect(await messages(protectAlbWithWaf, [alb, acl, association(alb)])).to.deep.equal([
            'aws:wafv2/webAcl:WebAcl "acl" protects a load balancer but logs nothing. Add an aws.wafv2.WebAclLoggingConfiguration with resourceArn set to this web ACL.',
        ]);
    });
    it("passes internet-facing ALB Ingresses with the WAF annotation (on one member of a group), and internal ones", async () => {
        const scheme = { "alb.ingress.kubernetes.io/scheme": "internet-facing" };
        const group = { ...scheme, "alb.ingress.kubernetes.io/group.name": "shop" };
        expect(await messages(protectAlbWithWaf, [ingress("web", { ...scheme, "alb.ingress.kubernetes.io/wafv2-acl-arn": Unknown.instance })])).to.deep.equal(
            [],
        );
        expect(
            await messages(protectAlbWithWaf, [ingress("a", { ...group, "alb.ingress.kubernetes.io/wafv2-acl-arn": ACL_ARN }), ingress("b", group)]),
        ).to.deep.equal([]);
        expect(await messages(protectAlbWithWaf, [ingress("internal", {})])).to.deep.equal([]);
    });
    it("fails internet-facing ALB Ingresses without the WAF annotation (each member of the group)", async () => {
        const group = { "alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/group.name": "shop" };
        expect(await messages(protectAlbWithWaf, [ingress("a", group), ingress("b", group)])).to.deep.equal([
            'kubernetes:networking.k8s.io/v1:Ingress "a" asks for an internet-facing ALB without the WAF. Add the annotation alb.ingress.kubernetes.io/wafv2-acl-arn: <the platform\'s web ACL ARN>.',
            'kubernetes:networking.k8s.io/v1:Ingress "b" asks for an internet-facing ALB without the WAF. Add the annotation alb.ingress.kubernetes.io/wafv2-acl-arn: <the platform\'s web ACL ARN>.',
        ]);
    });
    describe("a web ACL the controller attaches through the Ingress annotation", () => {
        const WAF = "alb.ingress.kubernetes.io/wafv2-acl-arn";
        const internet = { "alb.ingress.kubernetes.io/scheme": "internet-facing" };
        const unlogged = [
            'aws:wafv2/webAcl:WebAcl "acl" protects a load balancer but logs nothing. Add an aws.wafv2.WebAclLoggingConfiguration with resourceArn set to this web ACL.',
        ];
        it("must log like an associated one, named by ARN", async () => {
            const annotated = ingress("web", { ...internet, [WAF]: ACL_ARN });
            expect(await messages(protectAlbWithWaf, [acl, annotated])).to.deep.equal(unlogged);
            expect(await messages(protectAlbWithWaf, [acl, annotated, logging])).to.deep.equal([]);
        });
        it("or through the annotation's dependency on the ACL (its ARN unknown during preview)", async () => {
            const annotated = resource(
                "kubernetes:networking.k8s.io/v1:Ingress",
                "web",
                { metadata: { name: "web", namespace: "shop", annotations: { ...internet, [WAF]: Unknown.instance } }, spec: { ingressClassName: "alb" } },
                { propertyDependencies: { metadata: [acl.urn] } },
            );
            expect(await messages(protectAlbWithWaf, [acl, annotated])).to.deep.equal(unlogged);
        });
    });
});
