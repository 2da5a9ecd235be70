import type { SubscribeScene } from '../followers/service.ts';

/**
 * WeChat's numeric `user_source` for each subscribe scene. 0 is "everything else": the scenes with
 * no code of their own (migration, profile menu, others) are counted there.
 */
export const USER_SOURCE: Partial<Record<SubscribeScene, number>> = {
  ADD_SCENE_SEARCH: 1,
  ADD_SCENE_PROFILE_CARD: 17,
  ADD_SCENE_QR_CODE: 30,
  ADD_SCENE_PAID: 51,
  ADD_SCENE_PROFILE_LINK: 57,
  ADD_SCENE_WECHAT_ADVERTISEMENT: 100,
  ADD_SCENE_REPRINT: 161,
  ADD_SCENE_CHANNELS: 200,
  ADD_SCENE_LIVESTREAM: 201,
};

export const userSourceOf = (scene: string | null) => (scene !== null && scene in USER_SOURCE ? (USER_SOURCE[scene as SubscribeScene] ?? 0) : 0);

/**
 * getupstreammsg's numeric `msg_type`: 1 text, 2 image, 3 voice, 4 video, 6 third-party app (link)
 * messages. Types WeChat has no code for (location) are shown in the console but not reported there.
 */
export const UPSTREAM_MSG_TYPE: Readonly<Record<string, number>> = { text: 1, image: 2, voice: 3, video: 4, link: 6 };
