/** WeChat counts days (quotas, datacube) in China Standard Time, UTC+8, with no daylight saving. */
export const CST_OFFSET_MS = 8 * 3600_000;

/** `yyyy-mm-dd` of the CST calendar day containing `at`. */
export const cstDate = (at: Date | number = Date.now()) => new Date(+at + CST_OFFSET_MS).toISOString().slice(0, 10);

/** Unix seconds. */
export const unixSeconds = (at: Date | number = Date.now()) => Math.floor(+at / 1000);
