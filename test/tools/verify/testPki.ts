/**
 * A throw-away PKI for the verification tests, made with the openssl CLI in a temporary directory: a
 * test CA, and leaf certificates signed by it (for a host, for another host, expired), plus one from an
 * untrusted CA. Undefined when openssl is absent (the tests that need it skip).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A key and certificate in PEM. */
export interface KeyPair {
    readonly key: string;
    readonly cert: string;
}

/** The test PKI. */
export interface TestPki {
    /** The CA the client trusts. */
    readonly ca: string;
    /** A certificate for the host, valid now. */
    readonly valid: KeyPair;
    /** A certificate for another host. */
    readonly wrongHost: KeyPair;
    /** A certificate for the host that expired in 2020. */
    readonly expired: KeyPair;
    /** A certificate for the host from a CA nobody trusts. */
    readonly untrusted: KeyPair;
}

function openssl(cwd: string, args: string[]): void {
    const result = spawnSync("openssl", args, { cwd, encoding: "utf8" });
    if (result.status !== 0) {
        throw new Error(`openssl ${args.join(" ")}: ${result.stderr}`);
    }
}

function makeCa(dir: string, name: string): void {
    openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", "2", "-subj", `/CN=${name}`]);
    fs.mkdirSync(path.join(dir, `${name}-db`));
    fs.writeFileSync(path.join(dir, `${name}-db/index.txt`), "");
    fs.writeFileSync(
        path.join(dir, `${name}.cnf`),
        [
            "[ca]",
            "default_ca = own",
            "[own]",
            `database = ${name}-db/index.txt`,
            `new_certs_dir = ${name}-db`,
            `certificate = ${name}.pem`,
            `private_key = ${name}.key`,
            "default_md = sha256",
            "policy = any",
            "rand_serial = yes",
            "unique_subject = no",
            "copy_extensions = none",
            "[any]",
            "commonName = supplied",
        ].join("\n"),
    );
}

function makeLeaf(dir: string, ca: string, leaf: string, host: string, dates: [string, string] | undefined): KeyPair {
    openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${leaf}.key`, "-out", `${leaf}.csr`, "-subj", `/CN=${host}`]);
    fs.writeFileSync(path.join(dir, `${leaf}.ext`), `[leaf]\nsubjectAltName = DNS:${host}\nextendedKeyUsage = serverAuth\nbasicConstraints = CA:FALSE\n`);
    const validity = dates === undefined ? ["-days", "2"] : ["-startdate", dates[0], "-enddate", dates[1]];
    openssl(dir, [
        "ca",
        "-batch",
        "-notext",
        "-config",
        `${ca}.cnf`,
        "-in",
        `${leaf}.csr`,
        "-out",
        `${leaf}.pem`,
        "-extfile",
        `${leaf}.ext`,
        "-extensions",
        "leaf",
        ...validity,
    ]);
    return { key: fs.readFileSync(path.join(dir, `${leaf}.key`), "utf8"), cert: fs.readFileSync(path.join(dir, `${leaf}.pem`), "utf8") };
}

/** Makes the PKI for `host`, or returns undefined without openssl. */
export function makeTestPki(host: string): TestPki | undefined {
    if (spawnSync("openssl", ["version"]).status !== 0) {
        return undefined;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-pki-"));
    try {
        makeCa(dir, "test-ca");
        makeCa(dir, "other-ca");
        return {
            ca: fs.readFileSync(path.join(dir, "test-ca.pem"), "utf8"),
            valid: makeLeaf(dir, "test-ca", "valid", host, undefined),
            wrongHost: makeLeaf(dir, "test-ca", "wrong-host", `other.${host}`, undefined),
            expired: makeLeaf(dir, "test-ca", "expired", host, ["20200101000000Z", "20200102000000Z"]),
            untrusted: makeLeaf(dir, "other-ca", "untrusted", host, undefined),
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
