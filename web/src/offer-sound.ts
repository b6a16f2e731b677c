/** A short two-note chime made with WebAudio (no audio file). Browsers may refuse sound before a user gesture: that is ignored. */
let ctx: AudioContext | null = null;

export function playOfferChime(): void {
  try {
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    ctx ??= new Ctor();
    const audio = ctx;
    const play = () => {
      const t = audio.currentTime;
      for (const [i, freq] of [660, 880].entries()) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = 'sine';
        osc.frequency.value = freq;
        const start = t + i * 0.16;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.15, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.15);
        osc.connect(gain).connect(audio.destination);
        osc.start(start);
        osc.stop(start + 0.16);
      }
    };
    if (audio.state === 'suspended') audio.resume().then(play, () => undefined);
    else play();
  } catch {
    // autoplay policy or no audio device: the visual offer card is enough
  }
}
