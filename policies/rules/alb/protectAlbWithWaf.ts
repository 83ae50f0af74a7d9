import type { StackValidationPolicy } from "@pulumi/policy";
import { ResourceIndex, ofTypes, ofTypesWhere } from "../../lib/graph";
import {
    ALB_ANNOTATION,
    ALB_INGRESS_CLASSES_SCHEMA,
    DEFAULT_ALB_INGRESS_CLASSES,
    annotation,
    annotationsOf,
    isAlbIngress,
    isInternetFacing,
} from "../../lib/ingress";
import { isKind } from "../../lib/kubernetes";
import { loadBalancerTypeOf } from "../../lib/loadBalancers";
import type { PlatformRule } from "../../lib/rule";
import { K8S, LOAD_BALANCER, WAF } from "../../lib/types";
import { asString, asStrings, at, describe, isSetRef, peek } from "../../lib/values";

interface Settings {
    albIngressClasses?: string[];
}

const WAF_ANNOTATION = `${ALB_ANNOTATION}wafv2-acl-arn`;
const GROUP_ANNOTATION = `${ALB_ANNOTATION}group.name`;

const policy: StackValidationPolicy = {
    name: "platform-alb-load-balancer-waf",
    description:
        "Every internet-facing application load balancer is behind the WAF: an aws.wafv2.WebAclAssociation for ALBs the program creates, the alb.ingress.kubernetes.io/wafv2-acl-arn annotation (on some Ingress of its group) for ALBs the AWS Load Balancer Controller creates; and every web ACL associated either way has logging. Internal load balancers and NLBs are exempt.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            albIngressClasses: ALB_INGRESS_CLASSES_SCHEMA,
        },
    },
    validateStack: (args, reportViolation) => {
        const albClasses = asStrings(args.getConfig<Settings>().albIngressClasses ?? DEFAULT_ALB_INGRESS_CLASSES);
        const balancers = ResourceIndex.of(args.resources, [...LOAD_BALANCER]);
        const acls = ResourceIndex.of(args.resources, [WAF.webAcl]);
        const protectedBalancers = new Set<string>();
        const associatedAcls = new Set<string>();
        const loggedAcls = new Set<string>();
        // Ingresses that want an internet-facing ALB, by group (an ungrouped Ingress is its own group).
        const ingressGroups = new Map<string, { members: typeof args.resources; withWaf: boolean }>();
        const relevant = [...ofTypes(args.resources, [WAF.association, WAF.logging]), ...ofTypesWhere(args.resources, (type) => isKind(type, K8S.ingress))];
        for (const r of relevant) {
            if (r.type === WAF.association) {
                balancers.refs(r, "resourceArn").forEach((b) => protectedBalancers.add(b.urn));
                acls.refs(r, "webAclArn").forEach((a) => associatedAcls.add(a.urn));
            } else if (r.type === WAF.logging) {
                acls.refs(r, "resourceArn").forEach((a) => loggedAcls.add(a.urn));
            } else if (isKind(r.type, K8S.ingress) && isAlbIngress(r.props, albClasses) && isInternetFacing(r.props)) {
                const annotations = annotationsOf(r.props);
                const group = asString(peek(annotations, GROUP_ANNOTATION));
                const key = group !== undefined ? `group:${asString(peek(r.props, "metadata", "namespace")) ?? ""}:${group}` : r.urn;
                const entry = ingressGroups.get(key) ?? { members: [], withWaf: false };
                entry.members.push(r);
                entry.withWaf ||= isSetRef(annotation(annotations, WAF_ANNOTATION));
                ingressGroups.set(key, entry);
                // The controller associates the annotated ACL itself: that ACL must log like any other.
                acls.refs(r, "metadata").forEach((a) => associatedAcls.add(a.urn));
                const named = annotation(annotations, WAF_ANNOTATION);
                if (typeof named === "string") {
                    acls.lookup(named).forEach((a) => associatedAcls.add(a.urn));
                }
            }
        }
        for (const b of balancers.all) {
            if (at(b.props, "internal") !== true && loadBalancerTypeOf(b.props) === "application" && !protectedBalancers.has(b.urn)) {
                reportViolation(
                    `${describe(b)} is internet-facing and not behind the WAF. Add an aws.wafv2.WebAclAssociation with resourceArn set to this load balancer's ARN.`,
                    b.urn,
                );
            }
        }
        for (const acl of acls.all) {
            if (associatedAcls.has(acl.urn) && !loggedAcls.has(acl.urn)) {
                reportViolation(
                    `${describe(acl)} protects a load balancer but logs nothing. Add an aws.wafv2.WebAclLoggingConfiguration with resourceArn set to this web ACL.`,
                    acl.urn,
                );
            }
        }
        for (const { members, withWaf } of ingressGroups.values()) {
            if (!withWaf) {
                for (const ingress of members) {
                    reportViolation(
                        `${describe(ingress)} asks for an internet-facing ALB without the WAF. Add the annotation ${WAF_ANNOTATION}: <the platform's web ACL ARN>.`,
                        ingress.urn,
                    );
                }
            }
        }
    },
};

/** */
export const protectAlbWithWaf: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["X-02", "ELB.16", "WAF.11", "CKV2_AWS_28", "CKV2_AWS_31"],
};
