// Screen 10, admin (the route checks the role first): register assets, cases, holders and operators, import
// a CSV with a preview, and correct mistakes with new events.
import type { AdminData, AdminFormData, CorrectionData, ImportData, TermsData } from '../../../ui/view-types.ts';
import { twoPersonInForce } from '../../domain/two-person.ts';
import { ensureDeviceKey } from '../../secrets.ts';
import { eventText } from '../event-text.ts';
import type { ScreenContext, ScreenSpec } from './spec.ts';

export function adminScreen(c: ScreenContext): ScreenSpec {
  const data: AdminData = {
    deviceId: c.app.store.deviceId,
    fingerprint: ensureDeviceKey(c.app.config.dataDir).fingerprint,
    twoPerson: twoPersonInForce(c.app.state()),
    sections: [
      { href: '/admin/assets/new', label: 'Register an asset', hint: 'Scan a new tag, fill in the form.' },
      { href: '/admin/cases/new', label: 'Register a case', hint: 'A case label and its number of slots.' },
      { href: '/admin/holders/new', label: 'Register a holder', hint: 'A person or team who can take equipment.' },
      { href: '/admin/operators/new', label: 'Enrol an operator', hint: 'Name, badge, PIN and role.' },
      { href: '/admin/import?kind=assets', label: 'Import assets (CSV)', hint: 'Preview every row, then commit all or nothing.' },
      { href: '/admin/import?kind=holders', label: 'Import holders (CSV)', hint: 'Preview every row, then commit all or nothing.' },
      { href: '/admin/corrections', label: 'Corrections', hint: 'Correct a mistaken change with a new event.' },
      { href: '/admin/export', label: 'Audit export to USB', hint: 'The signed log for the auditor, verified on the stick.' },
      { href: '/admin/terms', label: 'Terms text', hint: termsHint(c) },
    ],
  };
  return { screen: 'admin', title: 'Admin', tag: 'admin-screen', data };
}

const FORMS: Record<string, (query: Record<string, string>) => AdminFormData> = {
  assets: (q) => ({
    command: 'register-asset', title: 'Register an asset', fixed: {},
    fields: [
      { name: 'tag', label: 'Asset tag (scan it)', kind: 'text', value: q.tag ?? '', scans: true },
      { name: 'serial', label: 'Serial number', kind: 'text' },
      { name: 'type', label: 'Type', kind: 'choice', choices: ['laptop', 'tablet', 'radio', 'phone', 'other'], value: 'laptop' },
      { name: 'make', label: 'Make', kind: 'text' },
      { name: 'model', label: 'Model', kind: 'text' },
      { name: 'slot', label: 'Home slot (scan the slot label, or CASE/N)', kind: 'text', scans: true },
    ],
  }),
  cases: () => ({
    command: 'register-case', title: 'Register a case', fixed: {},
    fields: [
      { name: 'label', label: 'Case label (scan it)', kind: 'text', scans: true },
      { name: 'slots', label: 'Number of slots', kind: 'number', value: '18' },
    ],
  }),
  holders: () => ({
    command: 'register-holder', title: 'Register a holder', fixed: {},
    fields: [
      { name: 'name', label: 'Name', kind: 'text' },
      { name: 'badge', label: 'Badge (scan it)', kind: 'text', scans: true },
      { name: 'org', label: 'Organization', kind: 'text' },
      { name: 'kind', label: 'Kind', kind: 'choice', choices: ['person', 'team'], value: 'person' },
    ],
  }),
  operators: () => ({
    command: 'register-operator', title: 'Enrol an operator', fixed: {},
    fields: [
      { name: 'name', label: 'Name', kind: 'text' },
      { name: 'badge', label: 'Badge (scan it)', kind: 'text', scans: true },
      { name: 'pin', label: 'PIN (4 to 8 digits)', kind: 'pin' },
      { name: 'role', label: 'Role', kind: 'choice', choices: ['operator', 'admin'], value: 'operator' },
    ],
  }),
};

export function adminFormScreen(kind: string, query: Record<string, string>): ScreenSpec | null {
  const form = FORMS[kind];
  if (!form) return null;
  const data = form(query);
  return { screen: `admin-${kind}`, title: data.title, tag: 'admin-form-screen', data };
}

export function importScreen(kind: string): ScreenSpec {
  const data: ImportData = { kind: kind === 'holders' ? 'holders' : 'assets' };
  return { screen: `admin-import-${data.kind}`, title: `Import ${data.kind}`, tag: 'csv-import-screen', data };
}

const CORRECTABLE = ['AssetIssued', 'AssetReturned', 'AssetMoved', 'AssetMarkedMissing', 'AssetFound', 'ConditionChanged', 'AssetRetired'];

/** The latest change of each asset that has one (only the latest can be corrected), newest first. */
export function correctionsScreen(c: ScreenContext): ScreenSpec {
  const state = c.app.state();
  const latest = [...state.assets.values()].map((a) => a.lastChangeSeq).sort((a, b) => b - a).slice(0, 200);
  const events: CorrectionData['events'] = [];
  for (const seq of latest) {
    const e = c.app.store.event(seq);
    if (!e || !CORRECTABLE.includes(e.type)) continue;
    events.push({ seq: e.seq, at: e.occurred_at, text: eventText(state, e), type: e.type });
    if (events.length >= 30) break;
  }
  const data: CorrectionData = { events };
  return { screen: 'admin-corrections', title: 'Corrections', tag: 'corrections-screen', data };
}

function termsHint(c: ScreenContext): string {
  const terms = c.app.state().terms;
  return terms ? `What holders sign under: version ${terms.version}. Set a new version.` : 'What holders sign under: none set yet.';
}

/** The terms text holders sign under: the current version, and a form for the next one (set-terms). */
export function termsScreen(c: ScreenContext): ScreenSpec {
  const terms = c.app.state().terms;
  const data: TermsData = {
    current: terms ? { version: terms.version, text: terms.text, sha256: terms.sha256 } : null,
    twoPerson: twoPersonInForce(c.app.state()),
    termsNeedSecond: c.app.config.custody.twoPerson.includes('terms'),
  };
  return { screen: 'admin-terms', title: 'Terms text', tag: 'terms-screen', data };
}
