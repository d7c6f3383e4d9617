// Styles every kiosk component shares: readable type (never under 16 px), touch targets of at least 48 px,
// colours with WCAG AA contrast on their backgrounds. Components add their own layout on top.
import { css } from 'lit';

export const kioskStyles = css`
  :host { display: block; color: #111827; font-size: 18px; line-height: 1.35; }
  [hidden] { display: none !important; }
  h1, h2, h3 { margin: 0 0 8px; line-height: 1.2; }
  h1 { font-size: 28px; }
  h2 { font-size: 22px; }
  h3 { font-size: 19px; }
  p { margin: 0 0 8px; }
  .muted { color: #374151; }
  button, a.button {
    box-sizing: border-box; min-height: 56px; min-width: 56px; padding: 8px 20px; border-radius: 10px;
    border: 2px solid #1f2937; background: #ffffff; color: #111827; font: inherit; font-size: 19px; font-weight: 600;
    cursor: pointer; touch-action: manipulation; display: inline-flex; align-items: center; justify-content: center;
    text-decoration: none; gap: 8px;
  }
  button.primary, a.button.primary { background: #0b4f9c; border-color: #0b4f9c; color: #ffffff; }
  button.confirm, a.button.confirm { background: #166534; border-color: #166534; color: #ffffff; }
  button.danger, a.button.danger { background: #a4161a; border-color: #a4161a; color: #ffffff; }
  button:disabled { background: #e5e7eb; border-color: #6b7280; color: #374151; cursor: default; }
  button:focus-visible, a.button:focus-visible, input:focus-visible { outline: 4px solid #f59e0b; outline-offset: 2px; }
  a.link { display: inline-flex; align-items: center; min-height: 48px; min-width: 48px; color: #0b4f9c; font-weight: 700; }
  .row { display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }
  .card { background: #ffffff; border: 2px solid #d1d5db; border-radius: 12px; padding: 14px 16px; }
  .error { background: #fde8e8; border: 2px solid #a4161a; color: #7f1d1d; border-radius: 10px; padding: 10px 14px; font-weight: 600; }
  .success { background: #dcfce7; border: 2px solid #166534; color: #14532d; border-radius: 10px; padding: 10px 14px; font-weight: 600; }
  .notice { background: #fef3c7; border: 2px solid #92400e; color: #451a03; border-radius: 10px; padding: 10px 14px; }
  .badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 16px; font-weight: 700; border: 2px solid currentColor; }
  .badge.ok { color: #166534; } .badge.warn { color: #92400e; } .badge.bad { color: #a4161a; } .badge.info { color: #0b4f9c; }
  table { border-collapse: collapse; width: 100%; font-size: 17px; }
  th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #d1d5db; vertical-align: top; }
  th { font-size: 16px; color: #374151; }
  input[type='text'], input[type='search'], input[type='number'], textarea {
    box-sizing: border-box; min-height: 56px; width: 100%; font: inherit; font-size: 20px; padding: 8px 12px;
    border: 2px solid #4b5563; border-radius: 10px; background: #ffffff; color: #111827;
  }
  label { display: block; font-weight: 600; margin: 8px 0 4px; }
`;
