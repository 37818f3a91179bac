// Owns the in-page QR scanner of the check-in page: the phone's back camera (getUserMedia, facingMode environment),
// frames decoded by the browser's BarcodeDetector when it has one, else by jsqr on a canvas. Each code read is
// handed to `onCode` once (the same code is ignored while it stays in front of the camera, and a few seconds after).
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

// Not yet in TypeScript's DOM library: the part of the Shape Detection API used here.
type DetectedBarcode = { rawValue: string }
type BarcodeDetectorInstance = { detect(source: CanvasImageSource): Promise<DetectedBarcode[]> }
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorInstance
type Decoder = (video: HTMLVideoElement, canvas: HTMLCanvasElement) => Promise<string | null>

const sameCodePauseMs = 4000
const frameIntervalMs = 200

async function makeDecoder(): Promise<Decoder> {
  const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector
  if (Detector) {
    try {
      const detector = new Detector({ formats: ['qr_code'] })
      return async (video) => (await detector.detect(video))[0]?.rawValue ?? null
    } catch {
      // Some browsers expose the constructor without QR support: fall back to jsqr.
    }
  }
  const { default: jsQR } = await import('jsqr')
  return async (video, canvas) => {
    const width = video.videoWidth
    const height = video.videoHeight
    if (!width || !height) return null
    canvas.width = width
    canvas.height = height
    const context = canvas.getContext('2d', { willReadFrequently: true })
    if (!context) return null
    context.drawImage(video, 0, 0, width, height)
    return jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null
  }
}

export function CheckinScanner({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation()
  const video = useRef<HTMLVideoElement>(null)
  const canvas = useRef<HTMLCanvasElement>(null)
  const stream = useRef<MediaStream | null>(null)
  const timer = useRef<number | null>(null)
  const last = useRef<{ code: string; at: number } | null>(null)
  const onCodeRef = useRef(onCode)
  onCodeRef.current = onCode
  const [state, setState] = useState<'idle' | 'scanning' | 'unavailable'>('idle')

  const stop = useCallback(() => {
    if (timer.current !== null) window.clearTimeout(timer.current)
    timer.current = null
    stream.current?.getTracks().forEach((track) => track.stop())
    stream.current = null
    setState((current) => (current === 'scanning' ? 'idle' : current))
  }, [])

  useEffect(() => stop, [stop])

  async function start() {
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera API')
      stream.current = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false })
      const element = video.current!
      element.srcObject = stream.current
      await element.play()
      const decode = await makeDecoder()
      setState('scanning')
      const tick = async () => {
        if (!stream.current) return
        try {
          const code = await decode(element, canvas.current!)
          const now = Date.now()
          // A code held in front of the camera counts once; it counts again after being out of sight for a moment.
          if (code && !(last.current?.code === code && now - last.current.at < sameCodePauseMs)) onCodeRef.current(code)
          if (code) last.current = { code, at: now }
        } catch {
          // A frame that cannot be read (camera warming up) is skipped.
        }
        if (stream.current) timer.current = window.setTimeout(() => void tick(), frameIntervalMs)
      }
      void tick()
    } catch {
      stop()
      setState('unavailable')
    }
  }

  return (
    <div className="checkin-scanner">
      {state === 'scanning' ? (
        <button type="button" className="checkin-big secondary" onClick={stop}>
          {t('adminRegistrations.checkin.stopScan')}
        </button>
      ) : (
        <button type="button" className="checkin-big" onClick={() => void start()}>
          {t('adminRegistrations.checkin.scan')}
        </button>
      )}
      {state === 'unavailable' ? (
        <p className="error-summary" role="alert">
          {t('adminRegistrations.checkin.cameraUnavailable')}
        </p>
      ) : null}
      <div hidden={state !== 'scanning'}>
        <p className="hint">{t('adminRegistrations.checkin.scanning')}</p>
        <video ref={video} className="checkin-video" muted playsInline aria-hidden="true" />
        <canvas ref={canvas} hidden />
      </div>
    </div>
  )
}
