import { useRef } from 'react';
import { payApi, type JsapiParams } from './api.ts';
import { PaySheet, type PayOutcome } from './PaySheet.tsx';

/**
 * The pay sheet for a merchant page's `wx.chooseWXPay` / `getBrandWCPayRequest`: the platform checks the
 * signed parameters (paySign) and answers the order's sheet; the consumer pays its prepay_id with the PIN.
 */
export function JsapiPay({ params, onDone }: { params: JsapiParams; onDone: (o: PayOutcome) => void }) {
  const prepayId = useRef(/^prepay_id=(.+)$/.exec(params.package)?.[1] ?? '');
  return (
    <PaySheet
      load={async () => {
        const sheet = await payApi.jsapi(params);
        if (sheet.prepayId) prepayId.current = sheet.prepayId;
        return sheet;
      }}
      pay={(pin) => payApi.payPrepay(prepayId.current, pin)}
      onClose={onDone}
    />
  );
}

export default JsapiPay;
