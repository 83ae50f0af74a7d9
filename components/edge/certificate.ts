/**
 * The TLS certificate of the application hosts: an ACM certificate for the domain and every name one
 * label under it, validated through DNS records in the domain's Route 53 hosted zone. Only the
 * validated ARN is handed on, so a load balancer never gets a certificate that is still pending.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link DomainCertificate}. */
export interface DomainCertificateArgs {
    /** Prefix of the certificate's Name tag: `<project>-<stack>`. */
    namePrefix: string;
    /** The application domain, for example `dev.example.com`. */
    domain: string;
    /** The Route 53 public hosted zone that holds the domain. */
    hostedZoneId: pulumi.Input<string>;
    /** Seconds resolvers cache a validation record. Defaults to 300. */
    validationRecordTtl?: number;
    /**
     * Another stack of the account validates a certificate for the same domain with the same records (ACM's
     * validation record of a domain is the same for every certificate of one account, in every region): a
     * recovery stack (docs/runbooks/disaster-recovery.md) adopts those records instead of failing on them,
     * and leaves them when it is destroyed, since the other stack's renewals still need them.
     */
    validationRecordsShared?: boolean;
}

const defaults = { validationRecordTtl: 300 };

/** The names the certificate covers: the domain itself and the wildcard one label under it. */
export function certificateNames(domain: string): { domainName: string; subjectAlternativeNames: string[] } {
    return { domainName: domain, subjectAlternativeNames: [`*.${domain}`] };
}

/**
 * The names ACM asks to prove control of, one per validation record: a wildcard is validated by the
 * record of its base name, so `example.com` and `*.example.com` share one record.
 */
export function validationNames(names: readonly string[]): string[] {
    return [...new Set(names.map((n) => n.replace(/^\*\./, "")))];
}

/** An ACM certificate with its DNS validation. */
export class DomainCertificate extends pulumi.ComponentResource {
    /** The certificate (its ARN is usable only once validated: use {@link certificateArn}). */
    public readonly certificate: aws.acm.Certificate;
    /** The validation records in the hosted zone, one per name ACM validates. */
    public readonly validationRecords: aws.route53.Record[];
    /** The certificate's ARN, known only after ACM has issued it. */
    public readonly certificateArn: pulumi.Output<string>;

    constructor(name: string, args: DomainCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:DomainCertificate", name, {}, opts);
        const names = certificateNames(args.domain);
        this.certificate = new aws.acm.Certificate(
            `${name}-certificate`,
            {
                ...names,
                validationMethod: "DNS",
                keyAlgorithm: "RSA_2048",
                options: { certificateTransparencyLoggingPreference: "ENABLED" },
                tags: { Name: `${args.namePrefix}-certificate`, domain: args.domain },
            },
            // A replacement is issued before the old certificate is released, so listeners always have one.
            { parent: this },
        );
        const ttl = args.validationRecordTtl ?? defaults.validationRecordTtl;
        this.validationRecords = validationNames([names.domainName, ...names.subjectAlternativeNames]).map((validated, index) => {
            const option = this.certificate.domainValidationOptions.apply((options) => {
                const found = options.find((o) => o.domainName === validated);
                if (found === undefined) {
                    throw new Error(`ACM returned no DNS validation option for ${validated}`);
                }
                return found;
            });
            return new aws.route53.Record(
                `${name}-validation-${index}`,
                {
                    zoneId: args.hostedZoneId,
                    name: option.resourceRecordName,
                    type: option.resourceRecordType,
                    records: [option.resourceRecordValue],
                    ttl,
                    ...(args.validationRecordsShared === true ? { allowOverwrite: true } : {}),
                },
                { parent: this, ...(args.validationRecordsShared === true ? { retainOnDelete: true } : {}) },
            );
        });
        const validation = new aws.acm.CertificateValidation(
            `${name}-validation`,
            { certificateArn: this.certificate.arn, validationRecordFqdns: this.validationRecords.map((r) => r.fqdn) },
            { parent: this },
        );
        this.certificateArn = validation.certificateArn;
        this.registerOutputs({ certificateArn: this.certificateArn });
    }
}
