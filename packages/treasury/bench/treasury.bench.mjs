// VietQR encode+decode per second beside vietnam-qr-pay in the same run, and reconciliation of
// 1,000,000 payments against 1,000,000 fees with memory. Run after the build (`npm run bench`).
import { QRPay } from 'vietnam-qr-pay';
import { decodeVietQr, encodeVietQr, reconcile } from '../dist/index.js';

const N = Number(process.env.MOTCUA_BENCH_QR ?? 200_000);
const inputs = Array.from({ length: 1000 }, (_, i) => ({
  bankBin: '970403',
  accountNumber: String(1_000_000_000 + i * 7919),
  amount: 2_000 + i * 1_000,
  purpose: `0000019260302${String(i).padStart(4, '0')}`,
}));
const ourRun = (i) => {
  const x = inputs[i % 1000];
  decodeVietQr(encodeVietQr(x));
};
const theirRun = (i) => {
  const x = inputs[i % 1000];
  new QRPay(
    QRPay.initVietQR({
      bankBin: x.bankBin,
      bankNumber: x.accountNumber,
      amount: String(x.amount),
      purpose: x.purpose,
    }).build(),
  );
};
// Rounds alternate between the two libraries so that a change of machine load hits both alike; each
// figure is the median of the rounds, the ratio the median of the per-round ratios. Rates are given by
// wall clock and by CPU time of this process (the latter is steadier on a shared, loaded machine).
const ROUNDS = 7;
function rate(fn, n) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(i);
  const c = process.cpuUsage(c0);
  return { wall: n / ((performance.now() - t0) / 1000), cpu: n / ((c.user + c.system) / 1e6) };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
rate(ourRun, 20_000);
rate(theirRun, 20_000);
const ours = [];
const theirs = [];
for (let r = 0; r < ROUNDS; r++) {
  ours.push(rate(ourRun, Math.ceil(N / ROUNDS)));
  theirs.push(rate(theirRun, Math.ceil(N / ROUNDS)));
}
const fmt = (x) => Math.round(x).toLocaleString('en');
for (const clock of ['wall', 'cpu']) {
  const ratios = ours.map((o, r) => o[clock] / theirs[r][clock]);
  console.log(
    `${clock === 'wall' ? 'wall clock' : 'CPU time  '}: @motcua/treasury ${fmt(median(ours.map((o) => o[clock])))} encode+decode/s, vietnam-qr-pay 1.5.1 ${fmt(median(theirs.map((t) => t[clock])))}/s, ratio ${median(ratios).toFixed(2)}× (rounds ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}; goal ≥ 2×)`,
  );
}

const M = Number(process.env.MOTCUA_BENCH_RECONCILE ?? 1_000_000);
function* fees() {
  for (let i = 0; i < M; i++)
    yield { reference: `0000019${String(i).padStart(10, '0')}`, amount: 1000 * ((i % 200) + 1) };
}
function* payments() {
  for (let i = 0; i < M; i++) {
    // 1% unpaid (replaced by a stray), 0.5% wrong amount, the rest matched.
    const stray = i % 100 === 7;
    const ref = stray ? `9990019${String(i).padStart(10, '0')}` : `0000019${String(i).padStart(10, '0')}`;
    const amount = 1000 * ((i % 200) + 1) + (i % 200 === 13 ? 500 : 0);
    yield { paymentId: `P${i}`, reference: ref, amount };
  }
}
globalThis.gc?.();
const heap0 = process.memoryUsage().heapUsed;
let peak = 0;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}, 20);
const t0 = performance.now();
const report = reconcile(payments(), fees());
const secs = (performance.now() - t0) / 1000;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().heapUsed);
console.log(
  `reconcile ${M.toLocaleString('en')} payments × ${M.toLocaleString('en')} fees: ${secs.toFixed(2)} s (goal ≤ 5 s); heap +${Math.round((peak - heap0) / 1e6)} MB peak, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
);
console.log(
  `  matched ${report.counts.matched.toLocaleString('en')}, unpaid ${report.counts.unpaidFees.toLocaleString('en')}, unmatched ${report.counts.unmatchedPayments.toLocaleString('en')}, mismatches ${report.counts.amountMismatches.toLocaleString('en')}`,
);
