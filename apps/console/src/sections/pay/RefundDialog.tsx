import { useEffect, useState } from 'react';
import { ConfirmDialog, TextField } from '../../kit/index.ts';
import { defineStrings, useStrings } from '../../lib/i18n.ts';
import { parseYuan, randomKey, refundOrder, yuan, type Order, type Refund } from './api.ts';

const strings = defineStrings({
  en: {
    title: 'Refund order {no}',
    amount: 'Amount to refund (¥)',
    amountHint: 'Up to {max}. The payer gets it back in their wallet once the refund completes.',
    reason: 'Reason (shown to the payer)',
    tooMuch: 'At most {max} can still be refunded',
    badAmount: 'Enter an amount such as 12.50',
    confirm: 'Refund',
    word: 'REFUND',
  },
  zh: {
    title: '退款：订单 {no}',
    amount: '退款金额（元）',
    amountHint: '最多 {max}。退款完成后款项回到付款人的钱包。',
    reason: '退款原因（付款人可见）',
    tooMuch: '最多还可退 {max}',
    badAmount: '请输入金额，例如 12.50',
    confirm: '退款',
    word: '退款',
  },
});

/** Refund part of an order: amount and reason, type-to-confirm; one Idempotency-Key per opened dialog. */
export function RefundDialog({ order, open, onClose, onDone }: { order: Order; open: boolean; onClose: () => void; onDone: (r: Refund) => void }) {
  const s = useStrings(strings);
  const max = order.amount - order.refundedAmount;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  // A fresh key and refund number each time the dialog opens: a retry of this dialog is answered once.
  const [keys, setKeys] = useState({ idem: '', outRefundNo: '' });
  useEffect(() => {
    if (open) {
      setKeys({ idem: randomKey('console-refund-'), outRefundNo: randomKey('RF') });
      setAmount('');
      setReason('');
      setError(undefined);
    }
  }, [open]);

  async function confirm() {
    const fen = parseYuan(amount);
    if (fen === undefined) return setError(s('badAmount'));
    if (fen > max) return setError(s('tooMuch', { max: yuan(max) }));
    setError(undefined);
    const r = await refundOrder(order.outTradeNo, keys.idem, { outRefundNo: keys.outRefundNo, amount: fen, ...(reason.trim() ? { reason: reason.trim() } : {}) });
    onDone(r);
  }

  return (
    <ConfirmDialog open={open} title={s('title', { no: order.outTradeNo })} confirmLabel={s('confirm')} danger typeToConfirm={s('word')} onConfirm={confirm} onCancel={onClose}>
      <TextField label={s('amount')} value={amount} onChange={setAmount} inputMode="decimal" hint={s('amountHint', { max: yuan(max) })} error={error} required />
      <TextField label={s('reason')} value={reason} onChange={setReason} maxLength={80} />
    </ConfirmDialog>
  );
}
