// A VietQR payment flow against the payment-platform simulator of @motcua/treasury/testing: the fee of a
// dossier, a payment with its VietQR, the citizen pays, the platform's signed callback reaches the commune's
// route and the ledger records it, then the day's reconciliation. The same code talks to a real platform
// when the simulator's URL and credentials are replaced by the platform's.
import { createServer } from 'node:http';
import { paymentReference } from '@motcua/core';
import { seedCatalogue } from '@motcua/procedures';
import { computeFees, createPaymentClient, decodeVietQr, PaymentLedger, reconcile } from '@motcua/treasury';
import { startPaymentSimulator } from '@motcua/treasury/testing';

// 1. The fee: 2 certified copies of a 5-page original.
const procedure = seedCatalogue().get('2.000815');
const fee = computeFees(
  procedure,
  { channel: 'direct', documents: [{ pages: 5, copies: 2 }] },
  { at: '2026-03-02T09:00:00+07:00' },
);
console.log(`fee: ${fee.total} VND`);

// 2. The payment platform (here its simulator) and the commune's callback route, which hands the raw body
//    and the signature header to the ledger; the ledger refuses a bad signature, a stale or replayed one.
const platform = await startPaymentSimulator();
const ledger = new PaymentLedger({
  client: createPaymentClient({ baseUrl: platform.url, auth: platform.oauth2 }),
  secret: platform.callbackSecret,
});
const callbacks = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    ledger.handleCallback(body, req.headers['x-motcua-signature']).then(
      () => res.end(),
      () => res.writeHead(401).end(),
    );
  });
});
await new Promise((resolve) => callbacks.listen(0, '127.0.0.1', resolve));

try {
  // 3. The payment request and its VietQR, printed on the receipt or shown on the desk's screen.
  const dossierCode = '000.00.19.H57-260302-0001';
  const payment = await ledger.pay({
    feeId: `${dossierCode}/certified-copy`,
    dossierCode,
    amount: fee.total,
    reference: paymentReference(dossierCode),
    callbackUrl: `http://127.0.0.1:${callbacks.address().port}/`,
  });
  const qr = decodeVietQr(payment.vietQr);
  console.log(
    `VietQR: bank ${qr.bankBin}, account ${qr.accountNumber}, ${qr.amount} VND, purpose ${qr.purpose}`,
  );
  console.log(`status before paying: ${ledger.get(payment.paymentId).status}`);

  // 4. The citizen scans and pays; the platform posts the signed callback before this returns.
  await platform.pay(payment.paymentId);
  const paid = ledger.get(payment.paymentId);
  console.log(`status after paying: ${paid.status}, ${paid.paidAmount} VND`);

  // 5. End of day: the payments against the fees due.
  const report = reconcile(
    ledger
      .entries()
      .filter((e) => e.status === 'paid')
      .map((e) => ({ paymentId: e.paymentId, reference: e.reference, amount: e.paidAmount, late: e.late })),
    [{ reference: paymentReference(dossierCode), amount: fee.total }],
    [],
  );
  console.log(`reconciled: ${report.counts.matched} matched, ${report.counts.unpaidFees} unpaid`);
} finally {
  callbacks.close();
  await platform.close();
}
