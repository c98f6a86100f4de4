import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/index.js';
import s from '../ui.module.css';
import a from './admin.module.css';

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorClass = (new (options: {
  formats: string[];
}) => Detector) & {
  getSupportedFormats?: () => Promise<string[]>;
};

/**
 * Reads the QR code of a chip ID card with the desk's camera: the browser's own BarcodeDetector where it
 * has one (Chrome on Android, ChromeOS, macOS), else ZXing, loaded only when the camera opens so the main
 * bundle does not carry it. Hands the decoded text over once and stops the camera.
 */
export function CameraScan({ onText, onClose }: { onText(text: string): void; onClose(): void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string>();
  const [engine, setEngine] = useState<'native' | 'zxing'>();
  const done = useRef(false);
  const handed = useRef(onText);
  handed.current = onText;

  useEffect(() => {
    let stopped = false;
    let stop: (() => void) | undefined;
    const hand = (text: string) => {
      if (done.current || !text) return;
      done.current = true;
      stop?.();
      handed.current(text);
    };
    const fail = (e: unknown) => {
      const name = (e as { name?: string }).name;
      setError(
        name === 'NotAllowedError'
          ? t('desk.cameraDenied')
          : name === 'NotFoundError' || name === 'OverconstrainedError'
            ? t('desk.cameraNone')
            : t('desk.cameraFailed'),
      );
    };
    (async () => {
      const constraints: MediaStreamConstraints = {
        video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      };
      const Native = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
      const formats = Native ? ((await Native.getSupportedFormats?.().catch(() => [])) ?? []) : [];
      if (Native && formats.includes('qr_code')) {
        setEngine('native');
        const stream = await navigator.mediaDevices.getUserMedia(constraints);
        if (stopped) {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        const el = video.current!;
        el.srcObject = stream;
        await el.play();
        const detector = new Native({ formats: ['qr_code'] });
        const timer = setInterval(() => {
          detector.detect(el).then(
            (codes) => hand(codes[0]?.rawValue ?? ''),
            () => {},
          );
        }, 250);
        stop = () => {
          clearInterval(timer);
          for (const track of stream.getTracks()) track.stop();
        };
        return;
      }
      setEngine('zxing');
      const [{ BrowserQRCodeReader }, { DecodeHintType }] = await Promise.all([
        import('@zxing/browser'),
        import('@zxing/library'),
      ]);
      if (stopped) return;
      // The card's text is UTF-8 (Vietnamese names and addresses).
      const reader = new BrowserQRCodeReader(new Map([[DecodeHintType.CHARACTER_SET, 'UTF-8']]));
      const controls = await reader.decodeFromConstraints(constraints, video.current!, (result) => {
        if (result) hand(result.getText());
      });
      stop = () => controls.stop();
      if (stopped || done.current) stop();
    })().catch(fail);
    return () => {
      stopped = true;
      stop?.();
    };
  }, [t]);

  return (
    <div className={s.info} data-testid="camera-scan" data-engine={engine}>
      <video
        ref={video}
        className={a.video}
        muted
        playsInline
        aria-label={t('desk.cameraVideo')}
        data-testid="camera-video"
      />
      <p className={s.help} role="status">
        {error ?? t('desk.cameraHelp')}
      </p>
      <button type="button" className={s.btnSecondary} onClick={onClose}>
        {t('desk.cameraClose')}
      </button>
    </div>
  );
}
