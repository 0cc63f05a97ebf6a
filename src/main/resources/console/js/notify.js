// The console's attention signals: a count badge in the header and an optional short sound for new or overdue
// work. Each person turns either off; the choice (not a secret) is kept in this browser's localStorage.
import { reactive } from './ui.js';

const saved = (() => {
  try { return JSON.parse(localStorage.getItem('govmedia.console.notify') || '{}'); } catch (e) { return {}; }
})();

export const notify = reactive({
  unseen: 0,
  badgeOn: saved.badgeOn !== false,
  soundOn: saved.soundOn === true,
  last: '',
});

function save() {
  try {
    localStorage.setItem('govmedia.console.notify', JSON.stringify({ badgeOn: notify.badgeOn, soundOn: notify.soundOn }));
  } catch (e) { /* private mode: the choice lasts this page */ }
}

export function toggleBadge() {
  notify.badgeOn = !notify.badgeOn;
  save();
}

export function toggleSound() {
  notify.soundOn = !notify.soundOn;
  save();
}

let audio = null;
function beep() {
  try {
    audio = audio || new AudioContext();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.4);
  } catch (e) { /* no audio: the badge still shows */ }
}

/** Something needs attention: counts it and, if the person wants, plays the sound. */
export function attention(text) {
  notify.unseen += 1;
  notify.last = text;
  if (notify.soundOn) {
    beep();
  }
}

export function seen() {
  notify.unseen = 0;
}
