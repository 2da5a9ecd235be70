/** WeChat counts days (quotas, datacube) in China Standard Time, UTC+8, with no daylight saving. */
export const CST_OFFSET_MS = 8 * 3600_000;

/** `yyyy-mm-dd` of the CST calendar day containing `at`. */
export const cstDate = (at: Date | number = Date.now()) => new Date(+at + CST_OFFSET_MS).toISOString().slice(0, 10);

/** `yyyy-MM-dd HH:mm:ss` in CST (how Pay v2 refunds and bills write times). */
export const cstDateTime = (at: Date | number) => new Date(+at + CST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

/** `yyyyMMdd` of the CST day (inside WeChat-shaped transaction and refund ids). */
export const cstCompactDate = (at: Date | number = Date.now()) => cstDate(at).replaceAll('-', '');

/** Unix seconds. */
export const unixSeconds = (at: Date | number = Date.now()) => Math.floor(+at / 1000);
