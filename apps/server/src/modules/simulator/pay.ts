import { makeContext, type RequestContext } from '../../platform/context.ts';
import { invalid } from '../../platform/errors.ts';
import type { IdentityService } from '../identity/service.ts';
import type { PayOrderRow } from '../payments/lifecycle.ts';
import type { PayMethodsService } from '../payments/methods.ts';
import type { PayerService } from '../payments/pay.ts';
import type { PayCodesService } from '../payments/paycodes.ts';
import type { WalletService } from '../wallet/service.ts';
import type { ConsumerCredentials } from './service.ts';

/** The PIN the simulator gives a consumer who has none yet (a sandbox consumer never set one). */
export const SIM_DEFAULT_PIN = '123456';

/** Which order the simulated consumer pays. */
export type SimPayTarget = { prepayId: string } | { outTradeNo: string; mchid: string } | { codeUrl: string };

/** The code token of a Native code_url or H5 h5_url (`…/pay/native/<token>`, `…/pay/h5/<token>`). */
export function codeTokenOf(url: string): string {
  const m = /\/pay\/(?:native|h5)\/([A-Za-z0-9]{1,64})\/?$/.exec(url);
  if (!m?.[1]) throw invalid('codeUrl must be a Native code_url or H5 h5_url (…/pay/native/TOKEN or …/pay/h5/TOKEN)');
  return m[1];
}

export type SimPayService = ReturnType<typeof createSimPayService>;

/**
 * The sandbox simulator's Pay: pays an order as a consumer through the same services the client
 * uses (PIN included), and shows a payment code. A consumer without a PIN gets `pin` (or
 * SIM_DEFAULT_PIN) set first, the way `sim topup` adds a test card to a consumer without one.
 */
export function createSimPayService(deps: {
  identity: Pick<IdentityService, 'authenticateConsumer'>;
  wallet: Pick<WalletService, 'summary' | 'setPin'>;
  payer: Pick<PayerService, 'payByPrepay'>;
  payMethods: Pick<PayMethodsService, 'payByCode' | 'refForSimulator'>;
  payCodes: Pick<PayCodesService, 'issue' | 'pay'>;
}) {
  const { identity, wallet, payer, payMethods, payCodes } = deps;

  async function consumerContext(ctx: RequestContext, who: ConsumerCredentials): Promise<RequestContext> {
    const consumer = await identity.authenticateConsumer(ctx, who);
    return makeContext({ kind: 'consumer', consumerId: consumer.id }, ctx.requestId);
  }

  async function pinFor(c: RequestContext, pin: string | undefined): Promise<string> {
    if ((await wallet.summary(c)).pinSet) {
      if (pin === undefined) throw invalid('the consumer has a payment PIN: give pin');
      return pin;
    }
    const chosen = pin ?? SIM_DEFAULT_PIN;
    await wallet.setPin(c, { pin: chosen });
    return chosen;
  }

  return {
    async pay(ctx: RequestContext, who: ConsumerCredentials, target: SimPayTarget, pinGiven?: string): Promise<{ order: PayOrderRow; balance: bigint; pinSetTo?: string }> {
      const c = await consumerContext(ctx, who);
      const pinWasSet = (await wallet.summary(c)).pinSet;
      const pin = await pinFor(c, pinGiven);
      let order: PayOrderRow;
      if ('prepayId' in target) order = await payer.payByPrepay(c, target.prepayId, pin);
      else if ('codeUrl' in target) order = await payMethods.payByCode(c, codeTokenOf(target.codeUrl), pin);
      else {
        const ref = await payMethods.refForSimulator(c, target.mchid, target.outTradeNo);
        if (ref.trade_type === 'MICROPAY') order = await payCodes.pay(c, ref.id, pin);
        else if (ref.code_token) order = await payMethods.payByCode(c, ref.code_token, pin);
        else order = await payer.payByPrepay(c, ref.prepay_id ?? '', pin);
      }
      return { order, balance: (await wallet.summary(c)).balance, ...(pinWasSet ? {} : { pinSetTo: pin }) };
    },

    async paycode(ctx: RequestContext, who: ConsumerCredentials): Promise<{ code: string; expiresAt: Date }> {
      return payCodes.issue(await consumerContext(ctx, who));
    },
  };
}
