/**
 * Every `platform:` config key, gathered from the per-area key tables. Later areas add their table here.
 */
import { addonKeys } from "./keys/addons";
import { alarmKeys } from "./keys/alarms";
import { appKeys } from "./keys/apps";
import { backupKeys } from "./keys/backups";
import { cacheKeys } from "./keys/cache";
import { coreKeys } from "./keys/core";
import { databaseKeys } from "./keys/database";
import { edgeKeys } from "./keys/edge";
import { eksKeys } from "./keys/eks";
import { externalDnsKeys } from "./keys/externalDns";
import { loadTestKeys } from "./keys/loadTest";
import { estimateKeys } from "./keys/estimates";
import { karpenterKeys } from "./keys/karpenter";
import { monitoringKeys } from "./keys/monitoring";
import { networkKeys } from "./keys/network";
import { previewKeys } from "./keys/preview";
import { restoreKeys } from "./keys/restore";
import type { Field, FieldValue } from "./fields";

/** The config namespace of the project (the `name` in Pulumi.yaml). */
export const PROJECT = "platform";

/** All keys of the `platform:` namespace, without the namespace prefix. */
export const schema = {
    ...coreKeys,
    ...networkKeys,
    ...eksKeys,
    ...karpenterKeys,
    ...previewKeys,
    ...databaseKeys,
    ...cacheKeys,
    ...backupKeys,
    ...alarmKeys,
    ...appKeys,
    ...monitoringKeys,
    ...edgeKeys,
    ...addonKeys,
    ...restoreKeys,
    ...externalDnsKeys,
    ...loadTestKeys,
    ...estimateKeys,
} satisfies Record<string, Field<unknown>>;

/** A key of {@link schema}. */
export type ConfigKey = keyof typeof schema;

/** The parsed value of every key, defaults applied. */
export type ConfigValues = { -readonly [K in ConfigKey]: FieldValue<(typeof schema)[K]> };
