/**
 * The typed settings of the applications, built from the parsed `apps` and `appSecrets` keys.
 */
import type { AppConfig } from "./keys/apps";
import type { ConfigValues } from "./schema";
import { isUnknownConfigValue, type UnknownConfigValue } from "./unknown";

/** One application with its own secrets. */
export interface ApplicationConfig extends AppConfig {
    /**
     * The application's secrets from `appSecrets` (variable name to value); handled as Pulumi secrets.
     * Unknown offline when `appSecrets` is an encrypted value the offline tools cannot read.
     */
    readonly secrets: Readonly<Record<string, string>> | UnknownConfigValue;
}

/** The application sections of the platform config. */
export interface AppSections {
    /** The applications, in config order. */
    readonly apps: readonly ApplicationConfig[];
}

/** Builds the application sections from validated keys. */
export function appSections(values: ConfigValues): AppSections {
    const appSecrets = values.appSecrets;
    if (isUnknownConfigValue(appSecrets)) {
        return { apps: values.apps.map((app) => ({ ...app, secrets: appSecrets })) };
    }
    const secrets = JSON.parse(appSecrets) as Record<string, Record<string, string>>;
    return { apps: values.apps.map((app) => ({ ...app, secrets: secrets[app.name] ?? {} })) };
}
