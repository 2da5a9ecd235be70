import type { Generated } from 'kysely';

export type MediaType = 'image' | 'voice' | 'video' | 'thumb';

export interface MediaFilesTable {
  media_id: string;
  /** Owner when uploaded through the OA API. */
  account_id: string | null;
  /** Owner when a consumer uploaded it (an image to send). */
  consumer_id: string | null;
  type: MediaType;
  /** Detected from the bytes: png, jpeg, gif, bmp, amr, mp3, mp4. */
  format: string;
  content_type: string;
  filename: string;
  size: number;
  /** Buffer on node-postgres, Uint8Array on PGlite. */
  data: Uint8Array;
  /** Capability key of the download URL handed out for videos (`{video_url}`). */
  download_key: string;
  created_at: Generated<Date>;
  /** Temporary media: the OA API serves it for 3 days. */
  expires_at: Date;
}

declare module '../../platform/database.ts' {
  interface Database {
    media_files: MediaFilesTable;
  }
}
