/**
 * The applications of the stack config and what they need: database-admin with the External Secrets
 * Operator and the master credentials, each application's own database user, the applications, and in a
 * recovery stack the restore of their namespaces.
 */
import { ExternalSecrets } from "../components/addons/externalSecrets";
import { VeleroRecovery } from "../components/addons/veleroRecovery";
import { Application, appNamespace } from "../components/apps/application";
import { DatabaseAdmin } from "../components/apps/databaseAdmin";
import { DatabaseUser } from "../components/apps/databaseUser";
import { MasterCredentials } from "../components/apps/masterCredentials";
import { ALB_ACCESS_LOG_PREFIX } from "../components/data/bucketPolicies";
import type { DatabaseConnection } from "../components/data/data";
import type { Addons } from "./addons";
import type { Foundation } from "./foundation";

/** Installs the applications; returns them in config order. */
export function installApplications(foundation: Foundation, addons: Addons): Application[] {
    const { config, inAccount, keys, eks, data, edge, podSecurityVersion } = foundation;
    const { monitoring, velero, karpenter } = addons;
    // Applications with a database get their own role and database, made by a Job in database-admin (the only
    // namespace with the master credentials) with a password Pulumi owns: the master's rotation never reaches them.
    // A stack without a database has no such application (config/rules/apps.ts), so no database-admin either.
    const databaseApps = config.apps.filter((app) => app.database);
    const database = data.database;

    /** database-admin, the operator that syncs the master credentials into it, and those credentials. */
    function databaseAdministration(master: DatabaseConnection): { admin: DatabaseAdmin; credentials: MasterCredentials } {
        const admin = new DatabaseAdmin("database-admin", {
            databaseSubnetCidrs: config.network.subnets.database,
            podSecurityVersion,
            // Its Jobs run on workload nodes; nothing else of it waits (no webhook admits its objects: the namespace
            // has no readiness-gate label, and it has no Service).
            capacity: karpenter.nodePools,
            provider: eks.kubernetesProvider,
            priorityClasses: eks.priorityClasses,
        });
        // The External Secrets Operator copies the RDS-managed secret into database-admin, the one namespace it
        // serves (its Role is created there, hence after the namespace), so the program never reads the password.
        // Its ServiceMonitors are its component's own (after the monitoring release): the release waits for nothing more.
        const externalSecrets = new ExternalSecrets("external-secrets", {
            scopedNamespace: admin.namespaceName,
            podSecurityVersion,
            highlyAvailable: config.isProd,
            atomic: config.isProd,
            provider: eks.kubernetesProvider,
            priorityClasses: eks.priorityClasses,
            after: [...eks.systemNodesReady, ...admin.namespaceReady],
            monitoringRelease: monitoring.release,
        });
        const credentials = new MasterCredentials(
            "database-master",
            {
                namespace: admin.namespace,
                namespaceName: admin.namespaceName,
                secretArn: master.secretArn,
                keyArn: keys.keys.data.arn,
                region: config.region,
                partition: config.partition,
                endpoint: { host: master.host, port: master.port, database: master.name },
                oidcProviderArn: eks.oidcProvider.arn,
                issuer: eks.oidcIssuer,
                namePrefix: config.namePrefix,
                operatorRelease: externalSecrets.release,
                after: admin.namespaceReady,
                provider: eks.kubernetesProvider,
            },
            inAccount,
        );
        return { admin, credentials };
    }
    const administration = databaseApps.length === 0 || database === undefined ? undefined : databaseAdministration(database);
    const databaseUsers = new Map(
        (administration === undefined ? [] : databaseApps).map((app) => [
            app.name,
            new DatabaseUser(`app-${app.name}-database-user`, {
                app: app.name,
                passwordVersion: app.passwordVersion,
                admin: (administration as NonNullable<typeof administration>).admin,
                masterCredentials: (administration as NonNullable<typeof administration>).credentials,
                provider: eks.kubernetesProvider,
            }),
        ]),
    );

    // The applications of the stack config: one namespace each, wired to the data tier, the edge and monitoring.
    const applications = config.apps.map((app, index) => {
        const user = databaseUsers.get(app.name);
        return new Application(`app-${app.name}`, {
            app,
            index,
            namePrefix: config.namePrefix,
            environment: config.environment,
            podSecurityVersion,
            // The application's own role and database on the instance; never the master credentials.
            database:
                user === undefined || database === undefined
                    ? undefined
                    : { host: database.host, port: database.port, name: user.database, username: user.username, password: user.password },
            databaseUser: user?.job,
            cache: data.cache,
            publicSubnetCidrs: config.network.subnets.public,
            databaseSubnetCidrs: config.network.subnets.database,
            edge: edge.certificateArn === undefined ? undefined : { webAclArn: edge.webAclArn, certificateArn: edge.certificateArn },
            accessLogs: { bucket: data.accessLogBucket.bucket, prefix: ALB_ACCESS_LOG_PREFIX },
            isProd: config.isProd,
            oidcProviderArn: eks.oidcProvider.arn,
            issuer: eks.oidcIssuer,
            monitoringRelease: monitoring.release,
            // The controller's webhooks admit its Services, Ingresses and pods; its pods run on the workload capacity Karpenter launches.
            after: [eks.loadBalancerController.release],
            capacity: karpenter.nodePools,
            provider: eks.kubernetesProvider,
            priorityClasses: eks.priorityClasses,
        });
    });

    // A recovery stack restores the lost stack's application namespaces once its own applications exist.
    const veleroBackupToRestore = config.restore?.velero?.backupName;
    if (veleroBackupToRestore !== undefined) {
        new VeleroRecovery("velero-recovery", {
            backupName: veleroBackupToRestore,
            applicationNamespaces: config.apps.map((app) => appNamespace(app.name)),
            provider: eks.kubernetesProvider,
            after: [velero.release, ...applications],
        });
    }
    return applications;
}
