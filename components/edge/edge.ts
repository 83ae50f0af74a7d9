/**
 * The edge of the platform: the AWS WAF web ACL every internet-facing application load balancer is
 * attached to and, when the stack has a domain, the validated TLS certificate its HTTPS listeners use.
 */
import * as pulumi from "@pulumi/pulumi";
import type { EdgeConfig, WafConfig } from "../../config/edge";
import { DomainCertificate } from "./certificate";
import { WebAcl } from "./webAcl";

/** Arguments of {@link Edge}: the stack's edge config plus what other components provide. */
export interface EdgeArgs {
    /** Domain and hosted zone (from `edge.*` config); no domain: no certificate. */
    edge: EdgeConfig;
    /** The web ACL's rules (from `waf.*` config). */
    waf: WafConfig;
    /** Prefix of physical names: `<project>-<stack>`. */
    namePrefix: string;
    /** The stack's `logs` KMS key: the WAF log group. */
    logsKeyArn: pulumi.Input<string>;
    /** Retention of the WAF log group, days. */
    logRetentionDays: number;
    /** True in a recovery stack: the lost stack's certificate validation records are adopted, never deleted. */
    validationRecordsShared?: boolean;
}

/** The web ACL and the certificate of the application hosts. */
export class Edge extends pulumi.ComponentResource {
    /** ARN of the regional web ACL, for the `alb.ingress.kubernetes.io/wafv2-acl-arn` annotation. */
    public readonly webAclArn: pulumi.Output<string>;
    /** ARN of the validated certificate for the domain and `*.<domain>`; undefined without a domain. */
    public readonly certificateArn: pulumi.Output<string> | undefined;
    /** The application domain; undefined without one. */
    public readonly domain: string | undefined;
    /** The Route 53 hosted zone that holds the domain (for application DNS records); undefined without a domain. */
    public readonly hostedZoneId: string | undefined;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:Edge", name, {}, opts);
        const acl = new WebAcl(
            `${name}-waf`,
            { namePrefix: args.namePrefix, waf: args.waf, logsKeyArn: args.logsKeyArn, logRetentionDays: args.logRetentionDays },
            { parent: this },
        );
        this.webAclArn = acl.webAcl.arn;
        const { domain, hostedZoneId } = args.edge;
        if (domain !== undefined && hostedZoneId === undefined) {
            throw new Error(`Edge ${name}: the domain ${domain} needs the id of the hosted zone that holds it`);
        }
        this.domain = domain;
        this.hostedZoneId = domain === undefined ? undefined : hostedZoneId;
        this.certificateArn =
            domain === undefined || hostedZoneId === undefined
                ? undefined
                : new DomainCertificate(
                      `${name}-tls`,
                      { namePrefix: args.namePrefix, domain, hostedZoneId, validationRecordsShared: args.validationRecordsShared },
                      { parent: this },
                  ).certificateArn;
        this.registerOutputs({ webAclArn: this.webAclArn, certificateArn: this.certificateArn });
    }
}
