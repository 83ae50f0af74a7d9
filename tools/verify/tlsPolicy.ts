/**
 * What the ALB's TLS security policy lets a client negotiate, by policy name (the policy the program
 * sets is `ingressDefaults.sslPolicy`, components/apps/ingress.ts). Source: Elastic Load Balancing user
 * guide, "Security policies for your Application Load Balancer" (TLS13-1-2-Res-2021-06: TLS 1.3 and
 * TLS 1.2, forward-secret AEAD ciphers only), in OpenSSL's cipher names as Node reports them.
 */

/** The protocols and ciphers of one ELB security policy. */
export interface TlsPolicy {
    /** Protocol versions, as `tls.TLSSocket.getProtocol()` names them. */
    readonly protocols: readonly string[];
    /** Cipher suites (OpenSSL names for TLS 1.2, IANA names for TLS 1.3, as `getCipher().name` gives them). */
    readonly ciphers: readonly string[];
}

/** The policies verification knows; a policy the program sets must have its entry here (a test checks). */
export const TLS_POLICIES: Readonly<Record<string, TlsPolicy>> = {
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": {
        protocols: ["TLSv1.3", "TLSv1.2"],
        ciphers: [
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384",
        ],
    },
};

/**
 * A TLS 1.2 offer the policy must refuse: RSA key exchange without forward secrecy (in every older ELB
 * policy, in none of the TLS13-*-Res ones). A load balancer that accepts it runs a weaker policy.
 */
export const OUT_OF_POLICY_OFFER = { maxVersion: "TLSv1.2", ciphers: "AES128-GCM-SHA256:AES256-GCM-SHA384" } as const;
