// A quick audit of what is on screen, across shadow roots: touch targets at least 48 px, no text under
// 16 px, and WCAG AA contrast of text against the background it is drawn on. Returns the violations.
import type { Page } from 'playwright-core';

export async function auditScreen(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const elements: Element[] = [];
    const collect = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        elements.push(el);
        if (el.shadowRoot) collect(el.shadowRoot);
      }
    };
    collect(document);

    const parentOf = (el: Element): Element | null => el.parentElement ?? ((el.getRootNode() as ShadowRoot).host ?? null);
    const rgba = (s: string): [number, number, number, number] => {
      const m = s.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return [m[0] ?? 0, m[1] ?? 0, m[2] ?? 0, m[3] ?? 1];
    };
    const background = (el: Element): [number, number, number] => {
      for (let e: Element | null = el; e; e = parentOf(e)) {
        const [r, g, b, a] = rgba(getComputedStyle(e).backgroundColor);
        if (a > 0.5) return [r, g, b];
      }
      return [255, 255, 255];
    };
    const luminance = ([r, g, b]: number[]) => {
      const c = [r, g, b].map((v) => {
        const s = v! / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    };
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    const name = (el: Element) => `<${el.localName}${el.id ? `#${el.id}` : ''}> "${(el.textContent ?? '').trim().slice(0, 30)}"`;

    for (const el of elements) {
      if (!visible(el) || el.closest('svg')) continue;
      const interactive = el.matches('button, a[href], input, select, textarea');
      if (interactive) {
        const r = el.getBoundingClientRect();
        if (r.height < 47.5 || r.width < 47.5) problems.push(`touch target ${Math.round(r.width)}x${Math.round(r.height)} px: ${name(el)}`);
      }
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (!ownText) continue;
      const style = getComputedStyle(el);
      const size = parseFloat(style.fontSize);
      if (size < 16) problems.push(`text ${size} px: ${name(el)}`);
      if ((el as HTMLButtonElement).disabled) continue; // inactive controls are exempt from contrast
      const fg = rgba(style.color);
      const bg = background(el);
      const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (l1! + 0.05) / (l2! + 0.05);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)}: ${name(el)}`);
    }
    return [...new Set(problems)];
  });
}
